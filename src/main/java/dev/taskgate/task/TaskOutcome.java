package dev.taskgate.task;

/** The terminal state a workflow (or the reconciler) records for a task. */
public record TaskOutcome(TaskStatus status, String result, String error) {

    public static TaskOutcome completed(String result) {
        return new TaskOutcome(TaskStatus.COMPLETED, result, "");
    }

    public static TaskOutcome failed(String error) {
        return new TaskOutcome(TaskStatus.FAILED, null, error);
    }

    /** CANCELLED, with the client's reason (if any) in the error. */
    public static TaskOutcome cancelled(String reason) {
        return new TaskOutcome(TaskStatus.CANCELLED, null, reason == null || reason.isBlank()
                ? "Task cancelled by user" : "Task cancelled by user: " + reason.strip());
    }

    public static TaskOutcome timedOut(String error) {
        return new TaskOutcome(TaskStatus.TIMEOUT, null, error);
    }
}
