package dev.taskgate.task;

import java.util.Map;

/** What a client asks for when it submits a task, before validation. */
public record SubmitCommand(String query, String sessionId, String mode, Map<String, Object> context,
                            Long timeoutSeconds) {
}
