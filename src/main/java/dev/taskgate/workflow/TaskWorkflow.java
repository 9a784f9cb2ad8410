package dev.taskgate.workflow;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One workflow per task; its workflow id is the task id. */
@WorkflowInterface
public interface TaskWorkflow {

    @WorkflowMethod
    void execute(TaskRun run);
}
