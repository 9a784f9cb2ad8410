package dev.taskgate.workflow;

import dev.taskgate.task.TaskOutcome;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

import java.time.Duration;

/**
 * Runs a task: RUNNING, its mode's strategy (one or more model calls and tool runs, each an
 * activity) raced against the task's deadline, then exactly one terminal status. At the deadline
 * the strategy's scope is cancelled and in-flight calls are abandoned. Cancellation arrives as
 * Temporal workflow cancellation.
 */
public class TaskWorkflowImpl implements TaskWorkflow {

    /** Task-row updates are retried until the database answers; they are idempotent. */
    private final TaskActivities store = Workflow.newActivityStub(TaskActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(200))
                            .setMaximumInterval(Duration.ofSeconds(10))
                            .build())
                    .build());

    /** Tools are quick local work; a few retries cover a database hiccup. */
    private final TaskActivities tools = Workflow.newActivityStub(TaskActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(200))
                            .setMaximumAttempts(3)
                            .build())
                    .build());

    private Promise<ModelAnswer> answer;

    @Override
    public void execute(TaskRun run) {
        String taskId = run.taskId();
        Duration deadline = Duration.ofSeconds(run.timeoutSeconds());
        try {
            // Not cancellable: a cancel racing with this short update must not ask the server to
            // cancel an activity that may have completed already (the in-process server then
            // rejects the workflow task, and the cancellation is only seen a task timeout later).
            boolean[] started = {false};
            Workflow.newDetachedCancellationScope(() -> started[0] = store.markRunning(taskId)).run();
            if (!started[0]) {
                return;
            }
            if (CancellationScope.current().isCancelRequested()) {
                throw new CanceledFailure("Task cancelled before its model call");
            }
            TaskInput input = store.load(taskId);
            TaskActivities model = Workflow.newActivityStub(TaskActivities.class,
                    modelCallOptions(deadline, input.limits()));
            ModeStrategy strategy = ModeStrategy.of(input.mode(), model, tools);
            CancellationScope work = Workflow.newCancellationScope(
                    () -> answer = Async.function(strategy::run, taskId, input));
            work.run();
            Promise<Void> timer = Workflow.newTimer(deadline);
            Promise.anyOf(answer, timer).get();
            if (!answer.isCompleted()) {
                work.cancel();
                store.finish(taskId, TaskOutcome.timedOut(timeoutMessage(run.timeoutSeconds())));
                return;
            }
            ModelAnswer result = answer.get();
            store.finish(taskId, TaskOutcome.completed(result.text(), result.model(), result.provider()));
        } catch (ActivityFailure | CanceledFailure failure) {
            if (CancellationScope.current().isCancelRequested()) {
                // the workflow was cancelled: record it outside the cancelled scope, then end as cancelled
                Workflow.newDetachedCancellationScope(
                        () -> store.finish(taskId, TaskOutcome.cancelled(null))).run();
                throw failure;
            }
            store.finish(taskId, outcomeOf(failure, run.timeoutSeconds()));
        }
    }

    /** Transient provider failures are retried with exponential backoff; permanent ones are non-retryable. */
    private static ActivityOptions modelCallOptions(Duration deadline, TaskInput.AgentLimits limits) {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(deadline)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(limits.retryInitialIntervalMs()))
                        .setBackoffCoefficient(limits.retryBackoffCoefficient())
                        .setMaximumInterval(Duration.ofMillis(limits.retryMaximumIntervalMs()))
                        .setMaximumAttempts(Math.max(1, limits.retryMaxAttempts()))
                        .build())
                .build();
    }

    private static TaskOutcome outcomeOf(RuntimeException failure, int timeoutSeconds) {
        Throwable cause = failure.getCause();
        if (cause instanceof TimeoutFailure) {
            return TaskOutcome.timedOut(timeoutMessage(timeoutSeconds));
        }
        if (cause instanceof ApplicationFailure app && (TaskActivitiesImpl.PROVIDER_ERROR.equals(app.getType())
                || TaskActivitiesImpl.PROVIDER_UNAVAILABLE.equals(app.getType()))) {
            return TaskOutcome.failed(app.getOriginalMessage());
        }
        return TaskOutcome.failed("Task failed: internal error");
    }

    private static String timeoutMessage(int timeoutSeconds) {
        return "Task exceeded its timeout of " + timeoutSeconds + " seconds";
    }
}
