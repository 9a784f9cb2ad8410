package dev.taskgate.workflow;

/**
 * The input of one task workflow run. Everything else is read from the task row by an activity.
 * {@code elapsedMillis} is how much of the task's {@code timeoutSeconds} had passed when this run
 * started: 0 for a new task, more when a lost workflow is run again from the stored task.
 */
public record TaskRun(String taskId, int timeoutSeconds, long elapsedMillis) {

    public TaskRun(String taskId, int timeoutSeconds) {
        this(taskId, timeoutSeconds, 0);
    }
}
