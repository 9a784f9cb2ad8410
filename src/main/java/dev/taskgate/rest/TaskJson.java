package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.protobuf.Timestamp;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.proto.v1.Task;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** The documented task JSON, rendered from the API's Task message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskJson(
        @JsonProperty("task_id") String taskId,
        String status,
        String result,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> response,
        String error,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        String query,
        @JsonProperty("session_id") String sessionId,
        String mode,
        @JsonProperty("model_used") String modelUsed,
        String provider,
        UsageJson usage) {

    public record UsageJson(
            @JsonProperty("total_tokens") long totalTokens,
            @JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("output_tokens") long outputTokens,
            @JsonProperty("estimated_cost") double estimatedCost) {
    }

    public static TaskJson of(Task task) {
        return new TaskJson(
                task.getTaskId(),
                task.getStatus().name(),
                task.hasResult() ? task.getResult() : null,
                TaskMessages.responseObject(task.getStatus(), task.hasResult() ? task.getResult() : null).orElse(null),
                task.getError(),
                rfc3339(task.getCreatedAt()),
                rfc3339(task.getUpdatedAt()),
                task.getQuery(),
                task.getSessionId(),
                task.getMode().name(),
                task.hasModelUsed() ? task.getModelUsed() : null,
                task.hasProvider() ? task.getProvider() : null,
                task.hasUsage() ? new UsageJson(task.getUsage().getTotalTokens(), task.getUsage().getInputTokens(),
                        task.getUsage().getOutputTokens(), task.getUsage().getEstimatedCost()) : null);
    }

    /** RFC 3339 in UTC with a {@code Z} suffix and whole seconds, as in the API doc. */
    static String rfc3339(Timestamp timestamp) {
        Instant instant = Instant.ofEpochSecond(timestamp.getSeconds()).truncatedTo(ChronoUnit.SECONDS);
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
