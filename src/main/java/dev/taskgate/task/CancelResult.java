package dev.taskgate.task;

/** The answer to a cancel request: whether the task is (now) cancelled, and its current status. */
public record CancelResult(boolean success, String message, String taskId, TaskStatus status) {
}
