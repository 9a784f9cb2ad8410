package dev.taskgate.workflow;

import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow's decisions (deadline, cancel, failures) on Temporal's test server, plus a replay check. */
class TaskWorkflowTest {

    private static final String QUEUE = "test-tasks";

    /** Stands in for the database and the model; the workflow is what is under test. */
    static final class ScriptedActivities implements TaskActivities {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final ConcurrentHashMap<String, TaskOutcome> outcomes = new ConcurrentHashMap<>();
        volatile long modelDelayMs;
        volatile String modelError;
        volatile String mode = "SIMPLE";
        final AtomicInteger runningSubtasks = new AtomicInteger();
        final AtomicInteger maxRunningSubtasks = new AtomicInteger();
        final CountDownLatch modelStarted = new CountDownLatch(1);

        @Override
        public boolean markRunning(String taskId) {
            calls.add("markRunning");
            return true;
        }

        @Override
        public TaskInput load(String taskId) {
            calls.add("load");
            return new TaskInput(mode, "What is 2 + 2?", "local", "m", List.of(), List.of("calculator"),
                    new TaskInput.AgentLimits(4, 5, 2, 3, 10, 2.0, 100));
        }

        @Override
        public String runTool(String taskId, ToolCall call) {
            calls.add("runTool:" + call.name());
            return "4";
        }

        @Override
        public ChatResponse callModel(String taskId, ModelRequest request) {
            calls.add("callModel:" + request.purpose());
            modelStarted.countDown();
            try {
                Thread.sleep(modelDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (modelError != null) {
                throw ApplicationFailure.newNonRetryableFailure(modelError, TaskActivitiesImpl.PROVIDER_ERROR);
            }
            return switch (request.purpose()) {
                case PLAN -> text("{\"subtasks\": [\"a\", \"b\", \"c\"]}");
                case SUBTASK -> subtask(request);
                case SYNTHESIS -> text("combined");
                case ANSWER -> request.tools().isEmpty() || request.messages().get(request.messages().size() - 1).role()
                        == ChatMessage.Role.TOOL
                        ? text("the answer")
                        : new ChatResponse("", List.of(new ToolCall("c1", "calculator", "{\"expression\":\"2+2\"}")),
                                "m", "local", 1, 1);
            };
        }

        private ChatResponse subtask(ModelRequest request) {
            int now = runningSubtasks.incrementAndGet();
            maxRunningSubtasks.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                runningSubtasks.decrementAndGet();
            }
            return text("part " + request.messages().get(1).text());
        }

        private static ChatResponse text(String text) {
            return new ChatResponse(text, List.of(), "m", "local", 1, 1);
        }

        @Override
        public void finish(String taskId, TaskOutcome outcome) {
            calls.add("finish:" + outcome.status());
            outcomes.putIfAbsent(taskId, outcome);
        }
    }

    private TestWorkflowEnvironment env;
    private ScriptedActivities activities;
    private WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(QUEUE);
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

    @Test
    void completedTaskRecordsTheAnswer() {
        workflow("t1").execute(new TaskRun("t1", 30));
        assertEquals(List.of("markRunning", "load", "callModel:ANSWER", "finish:COMPLETED"), activities.calls);
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
        activities.modelDelayMs = 5_000;
        long started = System.nanoTime();
        workflow("t3").execute(new TaskRun("t3", 1));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 4_000);
        TaskOutcome outcome = activities.outcomes.get("t3");
        assertEquals(TaskStatus.TIMEOUT, outcome.status());
        assertEquals("Task exceeded its timeout of 1 seconds", outcome.error());
    }

    @Test
    void cancellationRecordsCancelledAndEndsTheWorkflowCancelled() throws InterruptedException {
        activities.modelDelayMs = 5_000;
        WorkflowExecution execution = WorkflowClient.start(workflow("t4")::execute, new TaskRun("t4", 30));
        assertTrue(activities.modelStarted.await(5, TimeUnit.SECONDS));
        WorkflowStub stub = client.newUntypedWorkflowStub(execution.getWorkflowId());
        stub.cancel();
        assertThrows(WorkflowFailedException.class, () -> stub.getResult(Void.class));
        assertEquals(TaskStatus.CANCELLED, activities.outcomes.get("t4").status());
    }

    @Test
    void standardModeRunsTheToolTheModelAsksFor() {
        activities.mode = "STANDARD";
        workflow("t6").execute(new TaskRun("t6", 30));
        assertEquals(List.of("markRunning", "load", "callModel:ANSWER", "runTool:calculator", "callModel:ANSWER",
                "finish:COMPLETED"), activities.calls);
    }

    @Test
    void complexModePlansFansOutAndSynthesizes() {
        activities.mode = "COMPLEX";
        workflow("t7").execute(new TaskRun("t7", 30));
        assertEquals("callModel:PLAN", activities.calls.get(2));
        assertEquals(3, activities.calls.stream().filter("callModel:SUBTASK"::equals).count());
        assertEquals(List.of("callModel:SYNTHESIS", "finish:COMPLETED"),
                activities.calls.subList(activities.calls.size() - 2, activities.calls.size()));
        assertEquals("combined", activities.outcomes.get("t7").result());
        assertEquals(2, activities.maxRunningSubtasks.get(), "sub-tasks run in parallel, at most 2 at once");
    }

    @Test
    void historyReplaysDeterministically() throws Exception {
        workflow("t5").execute(new TaskRun("t5", 30));
        WorkflowExecutionHistory history = client.fetchHistory("t5");
        WorkflowReplayer.replayWorkflowExecution(history, TaskWorkflowImpl.class);
    }

    @Test
    void everyModeReplaysDeterministically() throws Exception {
        for (String mode : List.of("STANDARD", "COMPLEX")) {
            activities.mode = mode;
            String id = "replay-" + mode;
            workflow(id).execute(new TaskRun(id, 30));
            WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id), TaskWorkflowImpl.class);
        }
    }
}
