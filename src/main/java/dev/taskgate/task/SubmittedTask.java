package dev.taskgate.task;

import java.time.Instant;

/**
 * What was submitted for a task, as its workflow reads it: the request, the chosen provider and
 * model (null: the default), and the context as JSON text (or null).
 */
public record SubmittedTask(String id, String tenantId, ExecutionMode mode, String query, String sessionId,
                            String contextJson, String provider, String model, Instant createdAt) {

    static SubmittedTask of(Task task) {
        return new SubmittedTask(task.id, task.tenantId, task.mode, task.query, task.sessionId, task.context,
                task.llmProvider, task.llmModel, task.createdAt);
    }
}
