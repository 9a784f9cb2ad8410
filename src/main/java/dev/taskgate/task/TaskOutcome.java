package dev.taskgate.task;

/**
 * The terminal state a workflow (or the reconciler) records for a task; a completed task also
 * names the model and provider that produced its answer.
 */
public record TaskOutcome(TaskStatus status, String result, String error, String model, String provider) {

    public static TaskOutcome completed(String result) {
        return completed(result, null, null);
    }

    public static TaskOutcome completed(String result, String model, String provider) {
        return new TaskOutcome(TaskStatus.COMPLETED, result, "", model, provider);
    }

    public static TaskOutcome failed(String error) {
        return new TaskOutcome(TaskStatus.FAILED, null, error, null, null);
    }

    /** CANCELLED, with the client's reason (if any) in the error. */
    public static TaskOutcome cancelled(String reason) {
        return new TaskOutcome(TaskStatus.CANCELLED, null, reason == null || reason.isBlank()
                ? "Task cancelled by user" : "Task cancelled by user: " + reason.strip(), null, null);
    }

    /** TIMEOUT because the task ran past its own {@code timeout_seconds}. */
    public static TaskOutcome timedOut(int timeoutSeconds) {
        return timedOut("Task exceeded its timeout of " + timeoutSeconds + " seconds");
    }

    public static TaskOutcome timedOut(String error) {
        return new TaskOutcome(TaskStatus.TIMEOUT, null, error, null, null);
    }
}
