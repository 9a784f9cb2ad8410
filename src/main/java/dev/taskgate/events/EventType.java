package dev.taskgate.events;

/** The kinds of task events; the last event of every task is exactly one terminal type. */
public enum EventType {
    TASK_QUEUED,
    TASK_STARTED,
    LLM_OUTPUT,
    TOOL_INVOKED,
    TOOL_RESULT,
    SUBTASK_STARTED,
    SUBTASK_COMPLETED,
    TASK_COMPLETED,
    TASK_FAILED,
    TASK_CANCELLED,
    TASK_TIMEOUT;

    public boolean isTerminal() {
        return this == TASK_COMPLETED || this == TASK_FAILED || this == TASK_CANCELLED || this == TASK_TIMEOUT;
    }
}
