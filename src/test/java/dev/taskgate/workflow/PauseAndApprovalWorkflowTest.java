package dev.taskgate.workflow;

import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.Approval;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pause, resume and approvals as the workflow sees them, on Temporal's test server with its
 * skipping clock: the row's status and the decisions are scripted, and a signal says they changed.
 */
class PauseAndApprovalWorkflowTest {

    private static final String QUEUE = "test-pauses";

    private TestWorkflowEnvironment env;
    private ScriptedActivities activities;
    private WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        activities = new ScriptedActivities();
        worker(env.getWorkerFactory());
        env.start();
        client = env.getWorkflowClient();
    }

    /**
     * Without sticky execution, as a worker that replaces a dead one sees it on a real cluster
     * once the sticky schedule-to-start timeout passes (the test server never moves sticky tasks).
     */
    private void worker(WorkerFactory factory) {
        Worker worker = factory.newWorker(QUEUE, WorkerOptions.newBuilder()
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
        worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private TaskWorkflow workflow(String id) {
        return client.newWorkflowStub(TaskWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    }

    private WorkflowStub startAsync(String id, int timeoutSeconds) {
        WorkflowClient.start(workflow(id)::execute, new TaskRun(id, timeoutSeconds));
        return client.newUntypedWorkflowStub(id);
    }

    private void signal(String id) {
        client.newWorkflowStub(TaskWorkflow.class, id).taskChanged();
    }

    private void awaitStatusReads(int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (activities.statusReads.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(activities.statusReads.get() >= atLeast, "the workflow read the task's status");
    }

    @Test
    void aPausedTaskWaitsAtItsNextStepAndGoesOnWhenResumed() throws Exception {
        activities.status = TaskStatus.PAUSED;
        WorkflowStub run = startAsync("p1", 30);
        awaitStatusReads(1);
        Thread.sleep(300);
        assertFalse(activities.calls.contains("callModel:ANSWER"), "no model call while paused");

        activities.status = TaskStatus.RUNNING;
        signal("p1");
        run.getResult(Void.class);
        assertEquals(List.of("start", "callModel:ANSWER", "recordModelCall:ANSWER",
                "finish:COMPLETED"), activities.calls);
    }

    @Test
    void timeSpentPausedDoesNotCountTowardTheDeadline() throws Exception {
        activities.status = TaskStatus.PAUSED;
        WorkflowStub run = startAsync("p2", 30);
        awaitStatusReads(1);
        env.sleep(Duration.ofMinutes(20)); // far past the 30 s deadline, on the test server's clock
        activities.status = TaskStatus.RUNNING;
        signal("p2");
        run.getResult(Void.class);
        assertEquals(TaskStatus.COMPLETED, activities.outcomes.get("p2").status());
    }

    @Test
    void aLostSignalCostsOnlyTheNextPeriodicCheck() throws Exception {
        activities.status = TaskStatus.PAUSED;
        WorkflowStub run = startAsync("p3", 30);
        awaitStatusReads(1);
        activities.status = TaskStatus.RUNNING; // resumed, but nobody tells the workflow
        env.sleep(Halts.RECHECK.plusSeconds(1));
        run.getResult(Void.class);
        assertEquals(TaskStatus.COMPLETED, activities.outcomes.get("p3").status());
    }

    @Test
    void aTaskPausedLongerThanItsApprovalTimeoutTimesOut() {
        activities.status = TaskStatus.PAUSED;
        activities.approvalTimeoutSeconds = 3_600;
        workflow("p4").execute(new TaskRun("p4", 30)); // the test server skips the hour
        TaskOutcome outcome = activities.outcomes.get("p4");
        assertEquals(TaskStatus.TIMEOUT, outcome.status());
        assertEquals("Task stayed paused longer than its approval timeout of 3600 seconds", outcome.error());
    }

    @Test
    void anApprovedToolCallRuns() throws Exception {
        activities.mode = "STANDARD";
        activities.requireApproval = List.of("calculator");
        WorkflowStub run = startAsync("a1", 30);
        assertTrue(activities.approvalRequested.await(10, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertFalse(activities.calls.contains("runTool:calculator"), "the tool waits for its decision");

        activities.decideAll(Approval.Status.APPROVED, null);
        signal("a1");
        run.getResult(Void.class);
        assertEquals(List.of("start", "callModel:ANSWER", "recordModelCall:ANSWER",
                "requestApproval:calculator", "event:TOOL_INVOKED", "runTool:calculator", "event:TOOL_RESULT",
                "callModel:ANSWER", "recordModelCall:ANSWER", "finish:COMPLETED"), activities.calls);
        assertEquals("4", activities.lastToolResult);
    }

    @Test
    void aRefusedToolCallIsToldToTheModelWithTheFeedback() throws Exception {
        activities.mode = "STANDARD";
        activities.requireApproval = List.of("*");
        WorkflowStub run = startAsync("a2", 30);
        assertTrue(activities.approvalRequested.await(10, TimeUnit.SECONDS));
        activities.decideAll(Approval.Status.REFUSED, "not with my numbers");
        signal("a2");
        run.getResult(Void.class);
        assertFalse(activities.calls.contains("runTool:calculator"));
        assertEquals(ToolCall.refused("not with my numbers"), activities.lastToolResult);
        assertEquals(TaskStatus.COMPLETED, activities.outcomes.get("a2").status());
    }

    @Test
    void aDecisionLongAfterTheDeadlineWouldHavePassedStillCompletesTheTask() throws Exception {
        activities.mode = "STANDARD";
        activities.requireApproval = List.of("calculator");
        WorkflowStub run = startAsync("a3", 30);
        assertTrue(activities.approvalRequested.await(10, TimeUnit.SECONDS));
        env.sleep(Duration.ofHours(2));
        activities.decideAll(Approval.Status.APPROVED, null);
        signal("a3");
        run.getResult(Void.class);
        assertEquals(TaskStatus.COMPLETED, activities.outcomes.get("a3").status());
    }

    @Test
    void anUndecidedApprovalTimesOutWithAnErrorThatSaysSo() {
        activities.mode = "STANDARD";
        activities.requireApproval = List.of("calculator");
        activities.approvalTimeoutSeconds = 600;
        workflow("a4").execute(new TaskRun("a4", 30));
        TaskOutcome outcome = activities.outcomes.get("a4");
        assertEquals(TaskStatus.TIMEOUT, outcome.status());
        assertTrue(outcome.error().startsWith("Task waited longer than its approval timeout of 600 seconds"
                + " for a decision on running calculator (approval apr_"), outcome.error());
    }

    @Test
    void cancellingATaskThatWaitsForADecisionCancelsItAtOnce() throws Exception {
        activities.mode = "STANDARD";
        activities.requireApproval = List.of("calculator");
        WorkflowStub run = startAsync("a5", 30);
        assertTrue(activities.approvalRequested.await(10, TimeUnit.SECONDS));
        long cancelled = System.nanoTime();
        run.cancel();
        assertThrows(WorkflowFailedException.class, () -> run.getResult(Void.class));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled) < 5_000);
        assertEquals(TaskStatus.CANCELLED, activities.outcomes.get("a5").status());
    }

    @Test
    void aNewWorkerTakesOverATaskThatWaitsForADecision() throws Exception {
        activities.mode = "STANDARD";
        activities.requireApproval = List.of("calculator");
        WorkflowStub run = startAsync("a6", 30);
        assertTrue(activities.approvalRequested.await(10, TimeUnit.SECONDS));
        Thread.sleep(300);

        env.getWorkerFactory().shutdownNow();
        env.getWorkerFactory().awaitTermination(10, TimeUnit.SECONDS);
        WorkerFactory replacement = WorkerFactory.newInstance(client);
        worker(replacement);
        replacement.start();
        try {
            activities.decideAll(Approval.Status.APPROVED, null);
            signal("a6");
            run.getResult(Void.class);
        } finally {
            replacement.shutdownNow();
        }
        assertEquals(TaskStatus.COMPLETED, activities.outcomes.get("a6").status());
        assertEquals(1, activities.calls.stream().filter("runTool:calculator"::equals).count());
        assertEquals(1, activities.calls.stream().filter("requestApproval:calculator"::equals).count(),
                "the new worker replays the request, it does not ask again");
    }
}
