package dev.taskgate.llm;

import java.util.List;

/** What a model answered (text and/or tool calls), which model answered, and the tokens the call used. */
public record ChatResponse(String text, List<ToolCall> toolCalls, String model, String provider,
                           long inputTokens, long outputTokens) {

    public ChatResponse {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
