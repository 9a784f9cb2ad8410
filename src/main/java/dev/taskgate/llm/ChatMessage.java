package dev.taskgate.llm;

import java.util.List;

/**
 * One message of a conversation with a model: a system instruction, a user turn, an assistant
 * turn (text and/or tool calls) or the result of one tool call.
 */
public record ChatMessage(Role role, String text, List<ToolCall> toolCalls, String toolCallId, String toolName) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, text, List.of(), null, null);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text, List.of(), null, null);
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, text, List.of(), null, null);
    }

    public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, text, toolCalls, null, null);
    }

    public static ChatMessage toolResult(ToolCall call, String result) {
        return new ChatMessage(Role.TOOL, result, List.of(), call.id(), call.name());
    }
}
