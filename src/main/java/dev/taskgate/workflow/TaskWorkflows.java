package dev.taskgate.workflow;

import dev.taskgate.config.TaskgateConfig;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** The task service's view of Temporal: start, cancel and describe a task's workflow. */
@ApplicationScoped
public class TaskWorkflows {

    /** Server-side backstop beyond the task deadline, for a workflow whose worker is gone. */
    private static final Duration EXECUTION_GRACE = Duration.ofMinutes(5);

    private final WorkflowClient client;
    private final TaskgateConfig config;

    public TaskWorkflows(WorkflowClient client, TaskgateConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Starts the workflow of a task; a workflow already started for it is left alone. */
    public void start(String taskId, int timeoutSeconds) {
        TaskWorkflow workflow = client.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(taskId)
                .setTaskQueue(config.temporal().taskQueue())
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setWorkflowExecutionTimeout(Duration.ofSeconds(timeoutSeconds).plus(EXECUTION_GRACE))
                .setWorkflowTaskTimeout(config.temporal().workflowTaskTimeout())
                .build());
        try {
            WorkflowClient.start(workflow::execute, new TaskRun(taskId, timeoutSeconds));
        } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
            // started by an earlier attempt: nothing to do
        }
    }

    /** Requests cancellation; false when Temporal has no such workflow. */
    public boolean cancel(String taskId, String reason) {
        try {
            client.newUntypedWorkflowStub(taskId).cancel(reason == null || reason.isBlank() ? "cancelled by user" : reason);
            return true;
        } catch (WorkflowNotFoundException e) {
            return false;
        }
    }

    public WorkflowState describe(String taskId) {
        try {
            var status = client.newUntypedWorkflowStub(taskId).describe().getStatus();
            return switch (status) {
                case WORKFLOW_EXECUTION_STATUS_COMPLETED, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> WorkflowState.COMPLETED;
                case WORKFLOW_EXECUTION_STATUS_FAILED -> WorkflowState.FAILED;
                case WORKFLOW_EXECUTION_STATUS_CANCELED -> WorkflowState.CANCELED;
                case WORKFLOW_EXECUTION_STATUS_TERMINATED -> WorkflowState.TERMINATED;
                case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> WorkflowState.TIMED_OUT;
                default -> WorkflowState.RUNNING;
            };
        } catch (WorkflowNotFoundException e) {
            return WorkflowState.NOT_FOUND;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return WorkflowState.NOT_FOUND;
            }
            throw e;
        }
    }
}
