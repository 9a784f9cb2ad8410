package dev.taskgate.tools;

import dev.taskgate.llm.ToolSpec;

import java.util.Map;

/**
 * A tool the STANDARD agent loop offers to the model. Implementations are CDI beans; the
 * {@link ToolRegistry} finds them, so adding a tool means adding one class.
 */
public interface Tool {

    ToolSpec spec();

    /**
     * Runs the tool; the text returned goes back to the model. Throws
     * {@link IllegalArgumentException} with a message for the model when the arguments are wrong.
     */
    String run(ToolContext context, Map<String, Object> arguments);
}
