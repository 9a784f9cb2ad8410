package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskgate.task.SubmitCommand;

import java.util.Map;

/** Body of {@code POST /api/v1/tasks}; validation happens in the task service. */
public record SubmitTaskBody(
        String query,
        @JsonProperty("session_id") String sessionId,
        String mode,
        Map<String, Object> context,
        @JsonProperty("timeout_seconds") Long timeoutSeconds,
        String provider,
        String model,
        @JsonProperty("model_tier") String modelTier) {

    SubmitCommand toCommand() {
        return new SubmitCommand(query, sessionId, mode, context, timeoutSeconds, provider, model, modelTier);
    }
}
