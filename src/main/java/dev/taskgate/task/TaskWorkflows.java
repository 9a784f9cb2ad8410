package dev.taskgate.task;

import java.time.Duration;

/** How the task use cases reach a task's workflow (workflow id == task id). */
public interface TaskWorkflows {

    /** Starts the workflow of a new task; a workflow already started for it is left alone. */
    void start(String taskId, int timeoutSeconds);

    /**
     * Runs the task again from its stored input, in a new run of its workflow that replaces any
     * open one; {@code elapsed} of its timeout has already passed.
     */
    void restart(String taskId, int timeoutSeconds, Duration elapsed);

    /** Requests cancellation; false when Temporal has no such workflow. */
    boolean cancel(String taskId, String reason);

    /** Tells the task's workflow that its row changed (resumed, an approval decided), so it reads it again. */
    void wake(String taskId);

    WorkflowState describe(String taskId);
}
