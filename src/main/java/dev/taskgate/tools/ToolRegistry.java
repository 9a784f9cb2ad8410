package dev.taskgate.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.llm.ToolSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every {@link Tool} bean, by name. */
@ApplicationScoped
public class ToolRegistry {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    private final Map<String, Tool> tools = new TreeMap<>();
    private final ObjectMapper json;

    public ToolRegistry(Instance<Tool> tools, ObjectMapper json) {
        tools.forEach(tool -> this.tools.put(tool.spec().name(), tool));
        this.json = json;
    }

    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    /** The specs of the named tools that exist, in the order given. */
    public List<ToolSpec> specs(List<String> names) {
        return names.stream().filter(tools::containsKey).map(name -> tools.get(name).spec()).toList();
    }

    /**
     * Runs a call the model made. A call the tool cannot serve (unknown tool, bad arguments) is
     * answered with an error text for the model, which can correct itself on the next step.
     */
    public String run(ToolContext context, ToolCall call) {
        Tool tool = tools.get(call.name());
        if (tool == null) {
            return "Error: unknown tool '" + call.name() + "'; available: " + String.join(", ", tools.keySet());
        }
        Map<String, Object> arguments;
        try {
            arguments = call.arguments() == null || call.arguments().isBlank()
                    ? Map.of() : json.readValue(call.arguments(), JSON_OBJECT);
        } catch (Exception e) {
            return "Error: the arguments must be a JSON object";
        }
        try {
            return tool.run(context, arguments);
        } catch (IllegalArgumentException e) {
            return "Error: " + e.getMessage();
        }
    }
}
