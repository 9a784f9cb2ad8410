package dev.taskgate.llm;

/** A model's request to run a tool: the call id, the tool name and its arguments as a JSON object text. */
public record ToolCall(String id, String name, String arguments) {
}
