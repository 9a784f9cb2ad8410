package dev.taskgate.llm;

import java.util.Map;

/**
 * One model call: the user's query, the task's free-form context and the execution mode name
 * (SIMPLE, STANDARD, COMPLEX).
 */
public record ChatRequest(String query, Map<String, Object> context, String mode) {

    public ChatRequest {
        context = context == null ? Map.of() : context;
    }
}
