package dev.taskgate.task;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A task as clients see it, read from PostgreSQL at one moment. Immutable, so it can be cached
 * and shared between threads; equal views render equally.
 *
 * @param usage            null until a model call has been recorded
 * @param requireApproval  tool names (or "*") whose calls wait for a decision
 * @param pause            why and since when the task is paused; null unless PAUSED
 * @param pausedMillis     time spent in earlier pauses
 */
public record TaskView(String id, String tenantId, TaskStatus status, ExecutionMode mode, String query,
                       String sessionId, String result, String error, String modelUsed, String provider,
                       Usage usage, int timeoutSeconds, Instant createdAt, Instant updatedAt,
                       List<String> requireApproval, Pause pause, long pausedMillis) {

    public TaskView {
        requireApproval = requireApproval == null ? List.of() : List.copyOf(requireApproval);
    }

    /** Tokens and estimated cost summed over the task's model calls. */
    public record Usage(long inputTokens, long outputTokens, BigDecimal estimatedCost) {

        public long totalTokens() {
            return inputTokens + outputTokens;
        }
    }

    /**
     * A paused task: since when, why (the tenant's reason, or the approval it waits for), and
     * its pending approvals, oldest first.
     */
    public record Pause(Instant since, String reason, List<Approval> pendingApprovals) {

        public Pause {
            pendingApprovals = List.copyOf(pendingApprovals);
        }
    }

    static TaskView of(Task task, List<Approval> pending) {
        Usage usage = task.inputTokens == null && task.outputTokens == null ? null : new Usage(
                task.inputTokens == null ? 0 : task.inputTokens, task.outputTokens == null ? 0 : task.outputTokens,
                task.estimatedCost == null ? BigDecimal.ZERO : task.estimatedCost);
        Pause pause = task.status != TaskStatus.PAUSED ? null
                : new Pause(task.pausedAt == null ? task.updatedAt : task.pausedAt, pauseReason(task, pending), pending);
        return new TaskView(task.id, task.tenantId, task.status, task.mode, task.query, task.sessionId, task.result,
                task.error == null ? "" : task.error, task.modelUsed, task.provider, usage, task.timeoutSeconds,
                task.createdAt, task.updatedAt, ToolNames.parse(task.requireApproval), pause, task.pausedMillis);
    }

    private static String pauseReason(Task task, List<Approval> pending) {
        if (task.pauseRequested || pending.isEmpty()) {
            return task.pauseReason == null ? "Paused by request" : task.pauseReason;
        }
        return "Waiting for approval to run " + pending.get(0).tool();
    }

    /** How much of its timeout the task has used by {@code now}: its age without the time it spent paused. */
    public Duration runningTime(Instant now) {
        Duration paused = Duration.ofMillis(pausedMillis);
        if (pause != null) {
            paused = paused.plus(Duration.between(pause.since(), now));
        }
        Duration running = Duration.between(createdAt, now).minus(paused);
        return running.isNegative() ? Duration.ZERO : running;
    }
}
