package dev.taskgate.task;

import java.time.Instant;
import java.util.List;

/**
 * What was submitted for a task, as its workflow reads it: the request, the chosen provider and
 * model (null: the default), the context as JSON text (or null), the tools whose calls need
 * approval, and how long it waits for a decision (null: the configured default).
 */
public record SubmittedTask(String id, String tenantId, ExecutionMode mode, String query, String sessionId,
                            String contextJson, String provider, String model, Instant createdAt,
                            List<String> requireApproval, Integer approvalTimeoutSeconds) {

    static SubmittedTask of(Task task) {
        return new SubmittedTask(task.id, task.tenantId, task.mode, task.query, task.sessionId, task.context,
                task.llmProvider, task.llmModel, task.createdAt, ToolNames.parse(task.requireApproval),
                task.approvalTimeoutSeconds);
    }
}
