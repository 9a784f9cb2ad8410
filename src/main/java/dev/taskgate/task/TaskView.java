package dev.taskgate.task;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A task as clients see it, read from PostgreSQL at one moment. Immutable, so it can be cached
 * and shared between threads; equal views render equally.
 *
 * @param usage null until a model call has been recorded
 */
public record TaskView(String id, String tenantId, TaskStatus status, ExecutionMode mode, String query,
                       String sessionId, String result, String error, String modelUsed, String provider,
                       Usage usage, int timeoutSeconds, Instant createdAt, Instant updatedAt) {

    /** Tokens and estimated cost summed over the task's model calls. */
    public record Usage(long inputTokens, long outputTokens, BigDecimal estimatedCost) {

        public long totalTokens() {
            return inputTokens + outputTokens;
        }
    }

    static TaskView of(Task task) {
        Usage usage = task.inputTokens == null && task.outputTokens == null ? null : new Usage(
                task.inputTokens == null ? 0 : task.inputTokens, task.outputTokens == null ? 0 : task.outputTokens,
                task.estimatedCost == null ? BigDecimal.ZERO : task.estimatedCost);
        return new TaskView(task.id, task.tenantId, task.status, task.mode, task.query, task.sessionId, task.result,
                task.error == null ? "" : task.error, task.modelUsed, task.provider, usage, task.timeoutSeconds,
                task.createdAt, task.updatedAt);
    }
}
