package dev.taskgate.llm;

import java.util.Map;

/**
 * A tool as a model sees it: name, description and its string parameters (name → description),
 * all required.
 */
public record ToolSpec(String name, String description, Map<String, String> parameters) {

    public ToolSpec {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
