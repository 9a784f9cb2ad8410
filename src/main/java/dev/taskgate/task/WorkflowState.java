package dev.taskgate.task;

/** What Temporal says about a task's workflow. */
public enum WorkflowState {
    RUNNING,
    /**
     * Open, but its next workflow task was handed out and never started while workers poll its
     * queue: it would wait until its execution timeout (see {@code taskgate.tasks.lost-workflow-task-after}).
     */
    WORKFLOW_TASK_LOST,
    COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT, NOT_FOUND
}
