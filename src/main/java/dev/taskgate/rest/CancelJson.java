package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.task.CancelResult;

/** Answer of {@code POST /api/v1/tasks/{id}/cancel}. */
public record CancelJson(boolean success, String message, @JsonProperty("task_id") String taskId, String status) {

    static CancelJson of(CancelResult result) {
        return new CancelJson(result.success(), result.message(), result.taskId(),
                TaskMessages.status(result.status()).name());
    }
}
