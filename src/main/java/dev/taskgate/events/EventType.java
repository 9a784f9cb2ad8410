package dev.taskgate.events;

/** The kinds of task events; the last event of every task is exactly one terminal type. */
public enum EventType {
    TASK_QUEUED,
    TASK_STARTED,
    LLM_OUTPUT,
    /** A live piece of a model call's text: seq 0, never stored, only on streams that ask for it. */
    LLM_PARTIAL,
    TOOL_INVOKED,
    TOOL_RESULT,
    SUBTASK_STARTED,
    SUBTASK_COMPLETED,
    /** The task's workflow was lost (e.g. the in-process Temporal server restarted) and runs again from the stored task. */
    TASK_RESTARTED,
    /** The task stopped at a step boundary: paused by its tenant, or waiting for an approval. */
    TASK_PAUSED,
    /** The task goes on after a pause. */
    TASK_RESUMED,
    /** A tool call waits for a person's decision; the payload names the approval, tool and arguments. */
    APPROVAL_REQUESTED,
    /** A pending approval was approved or refused. */
    APPROVAL_DECIDED,
    TASK_COMPLETED,
    TASK_FAILED,
    TASK_CANCELLED,
    TASK_TIMEOUT;

    /** The task status an event of this type implies (announced with it to listeners). */
    public String taskStatus() {
        return switch (this) {
            case TASK_QUEUED -> "QUEUED";
            case TASK_PAUSED, APPROVAL_REQUESTED -> "PAUSED";
            case TASK_COMPLETED -> "COMPLETED";
            case TASK_FAILED -> "FAILED";
            case TASK_CANCELLED -> "CANCELLED";
            case TASK_TIMEOUT -> "TIMEOUT";
            default -> "RUNNING";
        };
    }

    public boolean isTerminal() {
        return this == TASK_COMPLETED || this == TASK_FAILED || this == TASK_CANCELLED || this == TASK_TIMEOUT;
    }
}
