package dev.taskgate.workflow;

/** What Temporal says about a task's workflow. */
public enum WorkflowState {
    RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT, NOT_FOUND
}
