package dev.taskgate.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.ToolCatalog;
import dev.taskgate.llm.ToolSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.taskgate.config.TaskgateConfig;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Map;
import java.util.TreeMap;

/** Every {@link Tool} bean, by name. */
@ApplicationScoped
public class ToolRegistry implements ToolCatalog {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    private static final int RUNNERS = 4;

    private final Map<String, Tool> tools = new TreeMap<>();
    private final ObjectMapper json;
    private final Duration timeout;
    private final int maxOutputChars;
    /** Tools run here, at most four at once on this process, each within its time budget. */
    private final ExecutorService runners = Executors.newFixedThreadPool(RUNNERS, runnable -> {
        Thread thread = new Thread(runnable, "taskgate-tool");
        thread.setDaemon(true);
        return thread;
    });

    public ToolRegistry(Instance<Tool> tools, ObjectMapper json, TaskgateConfig.Tools limits) {
        tools.forEach(tool -> this.tools.put(tool.spec().name(), tool));
        this.json = json;
        this.timeout = limits.timeout();
        this.maxOutputChars = limits.maxOutputChars();
    }

    @PreDestroy
    void stop() {
        runners.shutdownNow();
    }

    @Override
    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    /** The specs of the named tools that exist, in the order given. */
    public List<ToolSpec> specs(List<String> names) {
        return names.stream().filter(tools::containsKey).map(name -> tools.get(name).spec()).toList();
    }

    /**
     * Runs a call the model made, within the tools' time budget, its answer cut to the longest
     * allowed. A call the tool cannot serve (unknown tool, bad arguments, too slow) is answered
     * with an error text for the model, which can correct itself on the next step.
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
        Map<String, Object> given = arguments;
        Future<String> running = runners.submit(() -> tool.run(context, given));
        try {
            return bounded(running.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            running.cancel(true);
            return "Error: the tool took longer than " + timeout.toSeconds() + " s";
        } catch (ExecutionException e) {
            return e.getCause() instanceof IllegalArgumentException refused
                    ? "Error: " + bounded(refused.getMessage()) : "Error: the tool failed";
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tool call interrupted", e);
        }
    }

    private String bounded(String text) {
        return text == null || text.length() <= maxOutputChars ? text
                : text.substring(0, maxOutputChars) + " ... (cut at " + maxOutputChars + " characters)";
    }
}
