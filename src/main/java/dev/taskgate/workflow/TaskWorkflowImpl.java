package dev.taskgate.workflow;

import dev.taskgate.task.TaskOutcome;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;

/**
 * Runs a task: RUNNING (its input read in the same step), its mode's strategy (model calls and
 * tool runs, each an activity) raced against the task's deadline, then exactly one terminal
 * status. At the deadline the strategy's scope is cancelled, which aborts the model call in
 * flight (delivered through its heartbeat). Cancellation arrives as Temporal workflow cancellation.
 *
 * <p>Changes that alter which activities run, or in which order, must go behind
 * {@link Workflow#getVersion} with a newly recorded history (see {@code WorkflowReplayTest}).
 */
public class TaskWorkflowImpl implements TaskWorkflow {

    private static final Logger LOG = Workflow.getLogger(TaskWorkflowImpl.class);
    static final String INTERNAL_ERROR = "Task failed: internal error";
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(10);

    /**
     * Task-row writes: local activities, each idempotent, retried while the database is away for
     * up to ten minutes (a local activity retries only within a schedule-to-close limit).
     */
    private final TaskStateActivities state = Workflow.newLocalActivityStub(TaskStateActivities.class,
            LocalActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .setScheduleToCloseTimeout(Duration.ofMinutes(10))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(200))
                            .setMaximumInterval(Duration.ofSeconds(10))
                            .build())
                    .build());

    /** Tools are quick local work; a few retries cover a lost worker. */
    private final ToolActivities tools = Workflow.newActivityStub(ToolActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(200))
                            .setMaximumAttempts(3)
                            .build())
                    .build());

    /** Runs recorded before tasks could pause and wait for approvals take the path without step boundary checks. */
    static final String PAUSES = "pause-and-approvals";
    /** Runs recorded before {@link TaskStateActivities#start} existed call markRunning and loadInput instead. */
    static final String ONE_START = "start-in-one-step";

    private Promise<ModelAnswer> answer;
    private Halts halts;

    @Override
    public void taskChanged() {
        if (halts != null) { // before, nothing waits: the first step reads the row anyway
            halts.changed();
        }
    }

    @Override
    public void execute(TaskRun run) {
        String taskId = run.taskId();
        Duration budget = Duration.ofSeconds(run.timeoutSeconds()).minusMillis(run.elapsedMillis());
        boolean pausable = Workflow.getVersion(PAUSES, Workflow.DEFAULT_VERSION, 1) >= 1;
        boolean oneStart = Workflow.getVersion(ONE_START, Workflow.DEFAULT_VERSION, 1) >= 1;
        try {
            TaskStart start = oneStart ? state.start(taskId) : null;
            if (oneStart ? start == null : !state.markRunning(taskId)) {
                return;
            }
            if (budget.isNegative() || budget.isZero()) {
                state.finish(taskId, TaskOutcome.timedOut(run.timeoutSeconds()));
                return;
            }
            if (CancellationScope.current().isCancelRequested()) {
                throw new CanceledFailure("Task cancelled before its model call");
            }
            TaskInput input = oneStart ? start.input() : state.loadInput(taskId);
            if (pausable) {
                halts = new Halts(Duration.ofSeconds(input.approvalTimeoutSeconds()));
            }
            ModelActivities model = Workflow.newActivityStub(ModelActivities.class,
                    modelCallOptions(budget, input.limits()));
            TaskSteps steps = new TaskSteps(taskId, input, oneStart ? start.status() : null, state, model, tools, halts);
            ModeStrategy strategy = ModeStrategy.of(input.mode());
            CancellationScope work = Workflow.newCancellationScope(() -> answer = Async.function(strategy::run, steps));
            work.run();
            if (!(pausable ? answeredInTime(budget) : answeredBefore(budget))) {
                work.cancel();
                state.finish(taskId, TaskOutcome.timedOut(run.timeoutSeconds()));
                return;
            }
            ModelAnswer result = answer.get();
            state.finish(taskId, TaskOutcome.completed(result.text(), result.model(), result.provider()));
        } catch (ActivityFailure | CanceledFailure failure) {
            if (CancellationScope.current().isCancelRequested()) {
                // the workflow was cancelled: record it outside the cancelled scope, then end as cancelled
                Workflow.newDetachedCancellationScope(() -> state.finish(taskId, TaskOutcome.cancelled(null))).run();
                throw failure;
            }
            state.finish(taskId, outcomeOf(failure, run.timeoutSeconds()));
        } catch (ApplicationFailure failure) {
            if (!Halts.WAIT_TIMEOUT.equals(failure.getType())) {
                throw failure;
            }
            state.finish(taskId, TaskOutcome.timedOut(failure.getOriginalMessage()));
        } catch (TemporalFailure | NonDeterministicException failure) {
            throw failure;
        } catch (RuntimeException bug) {
            // a bug in workflow code: fail the task now instead of retrying the workflow task until it times out
            LOG.error("task_id={} workflow code failed", taskId, bug);
            state.finish(taskId, TaskOutcome.failed(INTERNAL_ERROR));
            throw ApplicationFailure.newNonRetryableFailure(bug.toString(), "WorkflowCodeFailed");
        }
    }

    /** Runs recorded before tasks could pause: the answer raced against one timer of the whole budget. */
    private boolean answeredBefore(Duration budget) {
        Promise<Void> timer = Workflow.newTimer(budget);
        Promise.anyOf(answer, timer).get();
        return answer.isCompleted();
    }

    /**
     * Whether the answer (or its failure) came within the budget, not counting the time any step
     * waited for a person: the deadline's clock stops while a step waits and runs on after.
     */
    private boolean answeredInTime(Duration budget) {
        Duration left = budget;
        while (!answer.isCompleted()) {
            if (halts.waiting()) {
                Workflow.await(() -> !halts.waiting() || answer.isCompleted());
                continue;
            }
            long from = Workflow.currentTimeMillis();
            boolean moved = Workflow.await(left, () -> answer.isCompleted() || halts.waiting());
            if (CancellationScope.current().isCancelRequested()) {
                throw new CanceledFailure("Task cancelled");
            }
            left = left.minusMillis(Workflow.currentTimeMillis() - from);
            if (!moved) {
                return answer.isCompleted();
            }
        }
        return true;
    }

    /**
     * One attempt may take the provider's own timeout (plus a margin) and must heartbeat; all
     * attempts together end with the task's deadline. Transient provider failures are retried
     * with exponential backoff; permanent ones are non-retryable.
     */
    private static ActivityOptions modelCallOptions(Duration budget, TaskInput.AgentLimits limits) {
        // the deadline timer must fire first: a server-side timeout at the same moment would race with it
        Duration all = budget.plus(DEADLINE_MARGIN);
        Duration attempt = limits.callTimeoutMs() > 0 && Duration.ofMillis(limits.callTimeoutMs()).compareTo(all) < 0
                ? Duration.ofMillis(limits.callTimeoutMs()) : all;
        ActivityOptions.Builder options = ActivityOptions.newBuilder()
                .setScheduleToCloseTimeout(all)
                .setStartToCloseTimeout(attempt)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(limits.retryInitialIntervalMs()))
                        .setBackoffCoefficient(limits.retryBackoffCoefficient())
                        .setMaximumInterval(Duration.ofMillis(limits.retryMaximumIntervalMs()))
                        .setMaximumAttempts(Math.max(1, limits.retryMaxAttempts()))
                        .build());
        if (limits.heartbeatTimeoutMs() > 0) {
            options.setHeartbeatTimeout(Duration.ofMillis(limits.heartbeatTimeoutMs()));
        }
        return options.build();
    }

    private static TaskOutcome outcomeOf(RuntimeException failure, int timeoutSeconds) {
        if (failure.getCause() instanceof TimeoutFailure timeout) {
            return switch (timeout.getTimeoutType()) {
                case TIMEOUT_TYPE_HEARTBEAT -> TaskOutcome.failed("Task failed: the worker running its model call "
                        + "stopped responding, and so did the workers that retried it");
                case TIMEOUT_TYPE_START_TO_CLOSE -> TaskOutcome.failed("Task failed: its model call took longer "
                        + "than the provider's timeout");
                default -> TaskOutcome.timedOut(timeoutSeconds);
            };
        }
        String message = failure instanceof ActivityFailure activity ? Failures.userMessage(activity) : null;
        return TaskOutcome.failed(message != null ? message : INTERNAL_ERROR);
    }
}
