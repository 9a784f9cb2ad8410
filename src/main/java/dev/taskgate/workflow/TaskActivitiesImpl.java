package dev.taskgate.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.events.EventType;
import dev.taskgate.events.PartialOutput;
import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.ChatRequest;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ModelChoice;
import dev.taskgate.llm.Pricing;
import dev.taskgate.llm.ProviderException;
import dev.taskgate.llm.ProviderRegistry;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.ModelCall;
import dev.taskgate.task.SessionTurn;
import dev.taskgate.task.Task;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskRepository;
import dev.taskgate.tools.ToolContext;
import dev.taskgate.tools.ToolRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Activities run on Temporal's worker threads; each gets its own CDI request context. */
@ApplicationScoped
@ActivateRequestContext
public class TaskActivitiesImpl implements TaskActivities {

    /** Failure types whose message is written for users and may be shown as the task's error. */
    static final String PROVIDER_UNAVAILABLE = "ProviderUnavailable";
    static final String PROVIDER_ERROR = "ProviderError";

    private static final Logger LOG = Logger.getLogger(TaskActivitiesImpl.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    private final TaskRepository tasks;
    private final ProviderRegistry providers;
    private final Pricing pricing;
    private final ToolRegistry tools;
    private final TaskgateConfig.Llm llm;
    private final ObjectMapper json;
    private final PartialOutput partialOutput;

    public TaskActivitiesImpl(TaskRepository tasks, ProviderRegistry providers, Pricing pricing, ToolRegistry tools,
                              TaskgateConfig config, ObjectMapper json, PartialOutput partialOutput) {
        this.partialOutput = partialOutput;
        this.tasks = tasks;
        this.providers = providers;
        this.pricing = pricing;
        this.tools = tools;
        this.llm = config.llm();
        this.json = json;
    }

    @Override
    public boolean markRunning(String taskId) {
        boolean started = tasks.markRunning(taskId);
        LOG.debugf("task_id=%s running=%s", taskId, started);
        return started;
    }

    @Override
    public TaskInput load(String taskId) {
        Task task = task(taskId);
        ModelChoice choice = task.llmProvider != null
                ? new ModelChoice(task.llmProvider, task.llmModel)
                : providers.resolve(null, null, null);
        var agent = llm.agent();
        var retry = llm.retry();
        return new TaskInput(task.mode.name(), task.query, choice.provider(), choice.model(), history(task),
                tools.names(), new TaskInput.AgentLimits(agent.maxSteps(), agent.maxSubtasks(), agent.subtaskConcurrency(),
                retry.maxAttempts(), retry.initialInterval().toMillis(), retry.backoffCoefficient(),
                retry.maximumInterval().toMillis()));
    }

    @Override
    public ChatResponse callModel(String taskId, ModelRequest request) {
        Task task = task(taskId);
        if (task.status.isTerminal()) {
            // cancelled (or ended) while its workflow ran on: spend nothing more on it
            throw ApplicationFailure.newNonRetryableFailure("Task has already ended", "TaskEnded");
        }
        String subtask = request.purpose() == CallPurpose.SUBTASK ? lastUserText(request) : null;
        if (subtask != null) {
            tasks.recordEvent(taskId, EventType.SUBTASK_STARTED, subtask, Map.of("model", request.model()));
        }
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        String callKey = info.getActivityId() + "#" + info.getAttempt();
        ChatResponse response;
        try (PartialOutput.Writer partials = partialOutput.open(taskId, callKey)) {
            response = providers.get(request.provider()).chat(new ChatRequest(request.model(), request.messages(),
                    tools.specs(request.tools()), request.purpose(), context(task)), partials);
        } catch (ProviderException e) {
            LOG.infof("task_id=%s provider=%s model=%s call failed (retryable=%s): %s", taskId, request.provider(),
                    request.model(), e.retryable(), e.getMessage());
            throw e.retryable()
                    ? ApplicationFailure.newFailure(e.getMessage(), PROVIDER_UNAVAILABLE)
                    : ApplicationFailure.newNonRetryableFailure(e.getMessage(), PROVIDER_ERROR);
        }
        BigDecimal cost = pricing.cost(request.model(), response.model(), response.inputTokens(), response.outputTokens());
        tasks.recordModelCall(new ModelCall(taskId, callKey,
                request.purpose().name(), response.provider(), response.model(),
                response.inputTokens(), response.outputTokens(), cost), outputText(response));
        if (subtask != null) {
            tasks.recordEvent(taskId, EventType.SUBTASK_COMPLETED, response.text(), Map.of("subtask", subtask));
        }
        LOG.debugf("task_id=%s %s call provider=%s model=%s in=%d out=%d cost=%s", taskId, request.purpose(),
                response.provider(), response.model(), response.inputTokens(), response.outputTokens(), cost);
        return response;
    }

    @Override
    public String runTool(String taskId, ToolCall call) {
        Task task = task(taskId);
        tasks.recordEvent(taskId, EventType.TOOL_INVOKED, call.name(),
                Map.of("tool", call.name(), "arguments", call.arguments() == null ? "" : call.arguments()));
        String result = tools.run(new ToolContext(task.id, task.tenantId, task.sessionId, task.createdAt), call);
        tasks.recordEvent(taskId, EventType.TOOL_RESULT, result, Map.of("tool", call.name()));
        LOG.debugf("task_id=%s tool=%s ran", taskId, call.name());
        return result;
    }

    @Override
    public void finish(String taskId, TaskOutcome outcome) {
        boolean changed = tasks.finish(taskId, outcome);
        LOG.infof("task_id=%s finished status=%s recorded=%s", taskId, outcome.status(), changed);
    }

    /** The LLM_OUTPUT text of a call: its answer, or which tools it asked for. */
    private static String outputText(ChatResponse response) {
        if (!response.hasToolCalls()) {
            return response.text();
        }
        String calls = response.toolCalls().stream().map(ToolCall::name).collect(Collectors.joining(", "));
        return response.text().isBlank() ? "Calling tools: " + calls : response.text() + "\nCalling tools: " + calls;
    }

    private static String lastUserText(ModelRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            ChatMessage message = request.messages().get(i);
            if (message.role() == ChatMessage.Role.USER) {
                return message.text();
            }
        }
        return "";
    }

    private Task task(String taskId) {
        return tasks.findByIdOptional(taskId)
                .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("Task row is missing", "MissingTask"));
    }

    /**
     * The session's earlier completed turns as user/assistant messages, newest kept first within
     * the configured turn count and token budget (about four characters a token).
     */
    private List<ChatMessage> history(Task task) {
        List<SessionTurn> turns = tasks.sessionHistory(task.tenantId, task.sessionId, task.createdAt,
                Math.max(0, llm.agent().historyTurns()));
        long budget = llm.agent().historyTokens();
        List<ChatMessage> kept = new ArrayList<>();
        for (int i = turns.size() - 1; i >= 0; i--) {
            SessionTurn turn = turns.get(i);
            String answer = turn.answer() == null ? "" : turn.answer();
            long tokens = (turn.query().length() + answer.length() + 3) / 4;
            if (tokens > budget) {
                break;
            }
            budget -= tokens;
            kept.add(0, ChatMessage.assistant(answer));
            kept.add(0, ChatMessage.user(turn.query()));
        }
        return kept;
    }

    private Map<String, Object> context(Task task) {
        if (task.context == null) {
            return Map.of();
        }
        try {
            return json.readValue(task.context, JSON_OBJECT);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
