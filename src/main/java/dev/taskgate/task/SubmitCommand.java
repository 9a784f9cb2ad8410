package dev.taskgate.task;

import java.util.Map;

/**
 * What a client asks for when it submits a task, before validation. {@code provider},
 * {@code model} and {@code modelTier} are optional; a tier excludes the other two.
 */
public record SubmitCommand(String query, String sessionId, String mode, Map<String, Object> context,
                            Long timeoutSeconds, String provider, String model, String modelTier) {

    public SubmitCommand(String query, String sessionId, String mode, Map<String, Object> context, Long timeoutSeconds) {
        this(query, sessionId, mode, context, timeoutSeconds, null, null, null);
    }
}
