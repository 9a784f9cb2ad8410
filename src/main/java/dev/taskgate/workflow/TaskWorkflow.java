package dev.taskgate.workflow;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One workflow per task; its workflow id is the task id. */
@WorkflowInterface
public interface TaskWorkflow {

    @WorkflowMethod
    void execute(TaskRun run);

    /**
     * The task's row changed (resumed, an approval decided): a step that waits reads it again.
     * The row, not the signal, holds what changed.
     */
    @SignalMethod
    void taskChanged();
}
