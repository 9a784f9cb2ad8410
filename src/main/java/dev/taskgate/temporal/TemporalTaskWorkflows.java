package dev.taskgate.temporal;

import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.task.TaskWorkflows;
import dev.taskgate.task.WorkflowState;
import dev.taskgate.workflow.TaskRun;
import dev.taskgate.workflow.TaskWorkflow;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingWorkflowTaskState;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The task use cases' view of Temporal: start, restart, cancel and describe a task's workflow. */
@ApplicationScoped
public class TemporalTaskWorkflows implements TaskWorkflows {

    /** A poller seen this recently is alive. */
    private static final Duration LIVE_POLLER = Duration.ofMinutes(1);
    /**
     * Cancels a call's gRPC context when its deadline passes: one timer thread, idle in between; a
     * call that ends in time removes its timer at once.
     */
    private static final ScheduledExecutorService DEADLINES = deadlineTimer();

    private final WorkflowClient client;
    private final String taskQueue;
    private final Duration workflowTaskTimeout;
    private final Duration lostWorkflowTaskAfter;
    private final Duration callTimeout;
    private final BooleanSupplier localWorkerRunning;

    @Inject
    public TemporalTaskWorkflows(WorkflowClient client, TaskgateConfig.Temporal temporal, TaskgateConfig.Tasks tasks,
                                 TemporalSetup setup) {
        this(client, temporal.taskQueue(), temporal.workflowTaskTimeout(), tasks.lostWorkflowTaskAfter(),
                temporal.callTimeout(), setup::workerRunning);
    }

    TemporalTaskWorkflows(WorkflowClient client, String taskQueue, Duration workflowTaskTimeout,
                          Duration lostWorkflowTaskAfter, Duration callTimeout, BooleanSupplier localWorkerRunning) {
        this.client = client;
        this.taskQueue = taskQueue;
        this.workflowTaskTimeout = workflowTaskTimeout;
        this.lostWorkflowTaskAfter = lostWorkflowTaskAfter;
        this.callTimeout = callTimeout;
        this.localWorkerRunning = localWorkerRunning;
    }

    @Override
    public void start(String taskId, int timeoutSeconds) {
        try {
            withinCallTimeout(() -> WorkflowClient.start(stub(taskId, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)::execute, new TaskRun(taskId, timeoutSeconds)));
        } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
            // started by an earlier attempt: nothing to do
        }
    }

    private static ScheduledExecutorService deadlineTimer() {
        var timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "temporal-call-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * Runs a call of a request's path with a deadline: the SDK retries an unreachable Temporal
     * until the gRPC context's deadline, instead of its own minute, and the request goes on.
     */
    private void withinCallTimeout(Runnable call) {
        try (Context.CancellableContext context = Context.current()
                .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS, DEADLINES)) {
            context.run(call);
        }
    }

    @Override
    public void restart(String taskId, int timeoutSeconds, Duration elapsed) {
        WorkflowClient.start(stub(taskId, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
                        WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING)::execute,
                new TaskRun(taskId, timeoutSeconds, elapsed.toMillis()));
    }

    private TaskWorkflow stub(String taskId, WorkflowIdReusePolicy reuse,
                              WorkflowIdConflictPolicy conflict) {
        return client.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(taskId)
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(reuse)
                .setWorkflowIdConflictPolicy(conflict)
                .setWorkflowTaskTimeout(workflowTaskTimeout)
                .build());
    }

    @Override
    public boolean cancel(String taskId, String reason) {
        try {
            withinCallTimeout(() -> client.newUntypedWorkflowStub(taskId)
                    .cancel(reason == null || reason.isBlank() ? "cancelled by user" : reason));
            return true;
        } catch (WorkflowNotFoundException e) {
            return false;
        }
    }

    @Override
    public void wake(String taskId) {
        try {
            withinCallTimeout(() -> client.newWorkflowStub(TaskWorkflow.class, taskId).taskChanged());
        } catch (WorkflowNotFoundException e) {
            // no workflow (yet): the one that starts reads the row first
        }
    }

    @Override
    public WorkflowState describe(String taskId) {
        DescribeWorkflowExecutionResponse described;
        try {
            described = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(taskId))
                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return WorkflowState.NOT_FOUND;
            }
            throw e;
        }
        return switch (described.getWorkflowExecutionInfo().getStatus()) {
            case WORKFLOW_EXECUTION_STATUS_COMPLETED, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> WorkflowState.COMPLETED;
            case WORKFLOW_EXECUTION_STATUS_FAILED -> WorkflowState.FAILED;
            case WORKFLOW_EXECUTION_STATUS_CANCELED -> WorkflowState.CANCELED;
            case WORKFLOW_EXECUTION_STATUS_TERMINATED -> WorkflowState.TERMINATED;
            case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> WorkflowState.TIMED_OUT;
            default -> workflowTaskLost(taskId, described) && pollersAlive()
                    ? WorkflowState.WORKFLOW_TASK_LOST : WorkflowState.RUNNING;
        };
    }

    /**
     * Whether the workflow's next workflow task has been scheduled for longer than the threshold
     * without being started. The server says so in the description when it reports pending
     * workflow tasks; otherwise (Temporal's Java test server) the history's last event does. A
     * workflow with an activity in flight is waiting for it, not for a workflow task.
     */
    private boolean workflowTaskLost(String taskId, DescribeWorkflowExecutionResponse described) {
        Instant threshold = Instant.now().minus(lostWorkflowTaskAfter);
        if (described.hasPendingWorkflowTask()) {
            var pending = described.getPendingWorkflowTask();
            return pending.getState() == PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED
                    && instant(pending.getScheduledTime()).isBefore(threshold);
        }
        if (described.getPendingActivitiesCount() > 0) {
            return false;
        }
        List<HistoryEvent> events = client.fetchHistory(taskId).getEvents();
        HistoryEvent last = events.get(events.size() - 1);
        return last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED
                && instant(last.getEventTime()).isBefore(threshold);
    }

    /**
     * Whether workers poll the task queue, so that a workflow task waiting that long is lost, not
     * merely waiting for a worker to come back. The server's task-queue description tells; a
     * server without it (Temporal's Java test server) is asked nothing, and this process's own
     * running worker is the evidence.
     */
    private boolean pollersAlive() {
        try {
            var pollers = client.getWorkflowServiceStubs().blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                    .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                    .build()).getPollersList();
            Instant recent = Instant.now().minus(LIVE_POLLER);
            return pollers.stream().anyMatch(poller ->
                    instant(poller.getLastAccessTime()).isAfter(recent));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return localWorkerRunning.getAsBoolean();
            }
            throw e;
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
