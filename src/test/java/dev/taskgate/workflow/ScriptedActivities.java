package dev.taskgate.workflow;

import dev.taskgate.events.EventType;
import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.Approval;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskStatus;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Stands in for the database, the model and the tools of a task workflow: the workflow is what
 * is under test. Records each activity call in order; a scripted model plans three sub-tasks,
 * asks for the calculator once in STANDARD mode, and answers otherwise.
 */
class ScriptedActivities implements TaskStateActivities, ModelActivities, ToolActivities {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, TaskOutcome> outcomes = new ConcurrentHashMap<>();
    /** Events by step key, as the database would keep them: a key written twice is kept once. */
    final Map<String, EventType> events = new ConcurrentHashMap<>();
    final AtomicInteger modelCalls = new AtomicInteger();
    final AtomicInteger runningSubtasks = new AtomicInteger();
    final AtomicInteger maxRunningSubtasks = new AtomicInteger();
    final CountDownLatch modelStarted = new CountDownLatch(1);
    volatile String mode = "SIMPLE";
    volatile String modelError;
    volatile long heartbeatTimeoutMs;
    /** Runs the model's work for one attempt (1, 2, ...); by default answers at once. */
    volatile Function<Integer, Void> modelWork = attempt -> null;
    /** Failures still to raise from recordModelCall after it has written (a database that fails after commit). */
    final AtomicInteger recordFailures = new AtomicInteger();
    volatile boolean answerWithNothing;
    /** The task's status as the row would have it: PAUSED holds the workflow at its next step. */
    volatile TaskStatus status = TaskStatus.RUNNING;
    volatile List<String> requireApproval = List.of();
    volatile long approvalTimeoutSeconds = 86_400;
    /** Decisions by approval id; an approval not here is pending. */
    final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    final CountDownLatch approvalRequested = new CountDownLatch(1);
    final AtomicInteger statusReads = new AtomicInteger();
    final AtomicInteger decisionReads = new AtomicInteger();
    /** The last tool result the model read. */
    volatile String lastToolResult;

    @Override
    public boolean markRunning(String taskId) {
        calls.add("markRunning");
        return true;
    }

    @Override
    public TaskInput loadInput(String taskId) {
        calls.add("loadInput");
        return input();
    }

    @Override
    public TaskStart start(String taskId) {
        calls.add("start");
        statusReads.incrementAndGet();
        return new TaskStart(input(), status);
    }

    private TaskInput input() {
        return new TaskInput(mode, "What is 2 + 2?", "local", "m", List.of(), List.of("calculator"),
                new TaskInput.AgentLimits(4, 5, 2, 3, 10, 2.0, 100, 60_000, heartbeatTimeoutMs),
                "tenant", "session", CREATED, Map.of(), requireApproval, approvalTimeoutSeconds);
    }

    @Override
    public TaskStatus status(String taskId) {
        statusReads.incrementAndGet();
        return status;
    }

    @Override
    public String requestApproval(String taskId, String key, ToolCall call) {
        calls.add("requestApproval:" + call.name());
        approvalRequested.countDown();
        return "apr_" + key;
    }

    @Override
    public Decision decision(String approvalId) {
        decisionReads.incrementAndGet();
        return decisions.getOrDefault(approvalId, decisions.getOrDefault("*", new Decision(Approval.Status.PENDING, null)));
    }

    /** Decides every approval asked for so far (the scripted model asks for one). */
    void decideAll(Approval.Status status, String feedback) {
        decisions.put("*", new Decision(status, feedback));
    }

    @Override
    public void recordEvent(String taskId, String key, EventType type, String message, Map<String, Object> payload) {
        calls.add("event:" + type);
        events.putIfAbsent(key, type);
    }

    @Override
    public void recordModelCall(String taskId, ModelReply reply) {
        calls.add("recordModelCall:" + reply.purpose());
        if (recordFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("database connection lost after the write");
        }
    }

    @Override
    public void finish(String taskId, TaskOutcome outcome) {
        calls.add("finish:" + outcome.status());
        outcomes.putIfAbsent(taskId, outcome);
    }

    @Override
    public String runTool(ToolRun run) {
        calls.add("runTool:" + run.call().name());
        return "4";
    }

    @Override
    public ModelReply callModel(String taskId, ModelRequest request) {
        calls.add("callModel:" + request.purpose());
        ChatMessage last = request.messages().get(request.messages().size() - 1);
        if (last.role() == ChatMessage.Role.TOOL) {
            lastToolResult = last.text();
        }
        modelCalls.incrementAndGet();
        modelStarted.countDown();
        modelWork.apply(Activity.getExecutionContext().getInfo().getAttempt());
        if (modelError != null) {
            throw ApplicationFailure.newNonRetryableFailure(modelError, Failures.PROVIDER_ERROR);
        }
        if (answerWithNothing) {
            return new ModelReply("call-" + modelCalls.get(), request.purpose(), null, BigDecimal.ZERO);
        }
        ChatResponse response = switch (request.purpose()) {
            case PLAN -> text("{\"subtasks\": [\"a\", \"b\", \"c\"]}");
            case SUBTASK -> subtask(request);
            case SYNTHESIS -> text("combined");
            case ANSWER -> request.tools().isEmpty()
                    || request.messages().get(request.messages().size() - 1).role() == ChatMessage.Role.TOOL
                    ? text("the answer")
                    : new ChatResponse("", List.of(new ToolCall("c1", "calculator", "{\"expression\":\"2+2\"}")),
                            "m", "local", 1, 1);
        };
        return new ModelReply("call-" + modelCalls.get(), request.purpose(), response, BigDecimal.ZERO);
    }

    @Override
    public Plan planSubtasks(String taskId, ModelRequest request, int maxSubtasks) {
        ModelReply reply = callModel(taskId, request);
        return new Plan(List.of("a", "b", "c"), reply);
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

    static boolean isPurpose(String call, CallPurpose purpose) {
        return call.equals("callModel:" + purpose);
    }
}
