package dev.taskgate.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/tasks}, as sent; {@link TaskRequests} turns it into a checked command. */
public record SubmitTaskBody(
        String query,
        @JsonProperty("session_id") String sessionId,
        String mode,
        Map<String, Object> context,
        @JsonProperty("timeout_seconds") Integer timeoutSeconds,
        String provider,
        String model,
        @JsonProperty("model_tier") String modelTier,
        @JsonProperty("require_approval") List<String> requireApproval,
        @JsonProperty("approval_timeout_seconds") Integer approvalTimeoutSeconds,
        @JsonProperty("webhook_url") String webhookUrl) {
}
