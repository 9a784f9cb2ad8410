package dev.taskgate.workflow;

/** The input of one task workflow. Everything else is read from the task row by activities. */
public record TaskRun(String taskId, int timeoutSeconds) {
}
