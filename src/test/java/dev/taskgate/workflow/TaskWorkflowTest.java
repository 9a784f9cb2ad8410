package dev.taskgate.workflow;

import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskStatus;
import dev.taskgate.temporal.Heartbeats;
import io.temporal.activity.Activity;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow's decisions (deadline, cancel, failures, retries, heartbeats) on Temporal's test server. */
class TaskWorkflowTest {

    private static final String QUEUE = "test-tasks";

    private TestWorkflowEnvironment env;
    private ScriptedActivities activities;
    private WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(QUEUE, WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(100))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(100))
                .build());
        worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
        activities = new ScriptedActivities();
        worker.registerActivitiesImplementations(activities);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private TaskWorkflow workflow(String id) {
        return client.newWorkflowStub(TaskWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Test
    void completedTaskRecordsTheAnswer() {
        workflow("t1").execute(new TaskRun("t1", 30));
        assertEquals(List.of("start", "callModel:ANSWER", "recordModelCall:ANSWER",
                "finish:COMPLETED"), activities.calls);
        assertEquals("the answer", activities.outcomes.get("t1").result());
        assertEquals("m", activities.outcomes.get("t1").model());
    }

    @Test
    void providerErrorRecordsFailedWithItsMessage() {
        activities.modelError = "LLM service unavailable: connection timeout";
        workflow("t2").execute(new TaskRun("t2", 30));
        TaskOutcome outcome = activities.outcomes.get("t2");
        assertEquals(TaskStatus.FAILED, outcome.status());
        assertEquals("LLM service unavailable: connection timeout", outcome.error());
    }

    @Test
    void deadlineRecordsTimeoutWithoutWaitingForTheModel() {
        activities.modelWork = attempt -> sleep(5_000);
        long started = System.nanoTime();
        workflow("t3").execute(new TaskRun("t3", 1));
        assertTrue(millisSince(started) < 4_000);
        TaskOutcome outcome = activities.outcomes.get("t3");
        assertEquals(TaskStatus.TIMEOUT, outcome.status());
        assertEquals("Task exceeded its timeout of 1 seconds", outcome.error());
    }

    @Test
    void cancellationRecordsCancelledAndEndsTheWorkflowCancelled() throws InterruptedException {
        activities.modelWork = attempt -> sleep(5_000);
        WorkflowExecution execution = WorkflowClient.start(workflow("t4")::execute, new TaskRun("t4", 30));
        assertTrue(activities.modelStarted.await(5, TimeUnit.SECONDS));
        WorkflowStub stub = client.newUntypedWorkflowStub(execution.getWorkflowId());
        stub.cancel();
        assertThrows(WorkflowFailedException.class, () -> stub.getResult(Void.class));
        assertEquals(TaskStatus.CANCELLED, activities.outcomes.get("t4").status());
    }

    @Test
    void standardModeRunsTheToolTheModelAsksForBetweenItsEvents() {
        activities.mode = "STANDARD";
        workflow("t6").execute(new TaskRun("t6", 30));
        assertEquals(List.of("start", "callModel:ANSWER", "recordModelCall:ANSWER",
                "event:TOOL_INVOKED", "runTool:calculator", "event:TOOL_RESULT",
                "callModel:ANSWER", "recordModelCall:ANSWER", "finish:COMPLETED"), activities.calls);
    }

    @Test
    void complexModePlansFansOutAndSynthesizes() {
        activities.mode = "COMPLEX";
        workflow("t7").execute(new TaskRun("t7", 30));
        assertEquals(List.of("start", "callModel:PLAN", "recordModelCall:PLAN"),
                activities.calls.subList(0, 3));
        assertEquals(3, activities.calls.stream().filter("callModel:SUBTASK"::equals).count());
        assertEquals(3, activities.calls.stream().filter("event:SUBTASK_STARTED"::equals).count());
        assertEquals(3, activities.calls.stream().filter("event:SUBTASK_COMPLETED"::equals).count());
        assertEquals(List.of("callModel:SYNTHESIS", "recordModelCall:SYNTHESIS", "finish:COMPLETED"),
                activities.calls.subList(activities.calls.size() - 3, activities.calls.size()));
        assertEquals("combined", activities.outcomes.get("t7").result());
        assertEquals(2, activities.maxRunningSubtasks.get(), "sub-tasks run in parallel, at most 2 at once");
        assertEquals(6, activities.events.size(), "each sub-task event has its own step key");
    }

    @Test
    void aFailedWriteAfterTheModelCallRetriesTheWriteNotTheCall() {
        activities.recordFailures.set(2);
        workflow("t8").execute(new TaskRun("t8", 30));
        assertEquals(1, activities.modelCalls.get(), "the provider was paid once");
        assertEquals(3, activities.calls.stream().filter("recordModelCall:ANSWER"::equals).count(), activities.calls::toString);
        assertEquals(TaskStatus.COMPLETED, activities.outcomes.get("t8").status());
    }

    @Test
    void aCallWhoseWorkerStopsHeartbeatingIsRetriedSoon() {
        activities.heartbeatTimeoutMs = 1_000;
        // the first attempt hangs without a heartbeat, as on a worker that was killed
        activities.modelWork = attempt -> attempt == 1 ? sleep(20_000) : null;
        long started = System.nanoTime();
        workflow("t9").execute(new TaskRun("t9", 60));
        assertEquals(TaskStatus.COMPLETED, activities.outcomes.get("t9").status());
        assertEquals(2, activities.modelCalls.get());
        assertTrue(millisSince(started) < 10_000, "retried after the heartbeat timeout, not the call's limit");
    }

    @Test
    void cancellingAbortsTheModelCallInFlight() throws Exception {
        CompletableFuture<Long> abortedAfter = heartbeatingModel();
        WorkflowExecution execution = WorkflowClient.start(workflow("t10")::execute, new TaskRun("t10", 60));
        assertTrue(activities.modelStarted.await(5, TimeUnit.SECONDS));
        long cancelled = System.nanoTime();
        client.newUntypedWorkflowStub(execution.getWorkflowId()).cancel();
        abortedAfter.get(10, TimeUnit.SECONDS);
        assertTrue(millisSince(cancelled) < 3_000, "the call stopped soon after the cancel");
        assertEquals(TaskStatus.CANCELLED, activities.outcomes.get("t10").status());
    }

    @Test
    void theDeadlineAbortsTheModelCallInFlight() throws Exception {
        CompletableFuture<Long> abortedAfter = heartbeatingModel();
        long started = System.nanoTime();
        workflow("t11").execute(new TaskRun("t11", 1));
        abortedAfter.get(10, TimeUnit.SECONDS);
        assertTrue(millisSince(started) < 4_000, "the call stopped soon after the deadline");
        assertEquals(TaskStatus.TIMEOUT, activities.outcomes.get("t11").status());
    }

    @Test
    void aBugInWorkflowCodeFailsTheTaskAtOnce() {
        activities.answerWithNothing = true;
        long started = System.nanoTime();
        assertThrows(WorkflowFailedException.class, () -> workflow("t12").execute(new TaskRun("t12", 600)));
        assertTrue(millisSince(started) < 5_000);
        assertEquals(TaskStatus.FAILED, activities.outcomes.get("t12").status());
        assertEquals("Task failed: internal error", activities.outcomes.get("t12").error());
    }

    @Test
    void aRunStartedAgainHasOnlyWhatIsLeftOfTheTimeout() {
        activities.modelWork = attempt -> sleep(3_000);
        long started = System.nanoTime();
        workflow("t13").execute(new TaskRun("t13", 10, 9_500));
        assertTrue(millisSince(started) < 2_500);
        assertEquals(TaskStatus.TIMEOUT, activities.outcomes.get("t13").status());
        assertEquals("Task exceeded its timeout of 10 seconds", activities.outcomes.get("t13").error());

        workflow("t14").execute(new TaskRun("t14", 10, 10_000));
        assertEquals(TaskStatus.TIMEOUT, activities.outcomes.get("t14").status());
    }

    /** A model whose call heartbeats through {@link Heartbeats} for up to 30 s; completes with how long it ran once aborted. */
    private CompletableFuture<Long> heartbeatingModel() {
        Heartbeats heartbeats = new Heartbeats(Duration.ofMillis(100));
        CompletableFuture<Long> aborted = new CompletableFuture<>();
        activities.modelWork = attempt -> {
            long started = System.nanoTime();
            try {
                heartbeats.during(Activity.getExecutionContext(), () -> sleep(30_000));
            } finally {
                aborted.complete(millisSince(started));
            }
            return null;
        };
        return aborted;
    }

    private static Void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return null;
    }
}
