package dev.taskgate.temporal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.events.EventType;
import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ModelChoice;
import dev.taskgate.llm.ProviderException;
import dev.taskgate.llm.ProviderRegistry;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.Approval;
import dev.taskgate.task.ModelCall;
import dev.taskgate.task.SessionTurn;
import dev.taskgate.task.SubmittedTask;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskProgress;
import dev.taskgate.task.TaskRepository;
import dev.taskgate.task.TaskStatus;
import dev.taskgate.tools.ToolRegistry;
import dev.taskgate.workflow.Decision;
import dev.taskgate.workflow.ModelReply;
import dev.taskgate.workflow.TaskInput;
import dev.taskgate.workflow.TaskStart;
import dev.taskgate.workflow.TaskStateActivities;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The task row's side of a workflow, run as local activities; each gets its own CDI request context. */
@ApplicationScoped
@ActivateRequestContext
public class TaskStateActivitiesImpl implements TaskStateActivities {

    private static final Logger LOG = Logger.getLogger(TaskStateActivitiesImpl.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };
    /** Room on top of a provider's own timeout before Temporal gives up on one attempt. */
    private static final Duration CALL_MARGIN = Duration.ofSeconds(10);

    private final TaskProgress progress;
    private final TaskRepository tasks;
    private final ProviderRegistry providers;
    private final ToolRegistry tools;
    private final TaskgateConfig.Llm llm;
    private final TaskgateConfig.Temporal temporal;
    private final TaskgateConfig.Tasks tasksConfig;
    private final ObjectMapper json;

    public TaskStateActivitiesImpl(TaskProgress progress, TaskRepository tasks, ProviderRegistry providers,
                                   ToolRegistry tools, TaskgateConfig.Llm llm, TaskgateConfig.Temporal temporal,
                                   TaskgateConfig.Tasks tasksConfig, ObjectMapper json) {
        this.tasksConfig = tasksConfig;
        this.progress = progress;
        this.tasks = tasks;
        this.providers = providers;
        this.tools = tools;
        this.llm = llm;
        this.temporal = temporal;
        this.json = json;
    }

    @Override
    public boolean markRunning(String taskId) {
        boolean unfinished = progress.markRunning(taskId);
        LOG.debugf("task_id=%s running=%s", taskId, unfinished);
        return unfinished;
    }

    @Override
    public TaskInput loadInput(String taskId) {
        return input(tasks.submitted(taskId)
                .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("Task row is missing", "MissingTask")));
    }

    @Override
    public TaskStart start(String taskId) {
        TaskStart start = progress.start(taskId).map(started -> new TaskStart(input(started.task()), started.status()))
                .orElse(null);
        LOG.debugf("task_id=%s running=%s", taskId, start != null);
        return start;
    }

    private TaskInput input(SubmittedTask task) {
        ModelChoice choice = task.provider() != null
                ? new ModelChoice(task.provider(), task.model())
                : providers.resolve(null, null, null);
        var agent = llm.agent();
        var retry = llm.retry();
        return new TaskInput(task.mode().name(), task.query(), choice.provider(), choice.model(), history(task),
                tools.names(), new TaskInput.AgentLimits(agent.maxSteps(), agent.maxSubtasks(), agent.subtaskConcurrency(),
                retry.maxAttempts(), retry.initialInterval().toMillis(), retry.backoffCoefficient(),
                retry.maximumInterval().toMillis(), callTimeout(choice.provider()).toMillis(),
                temporal.heartbeatTimeout().toMillis()),
                task.tenantId(), task.sessionId(), task.createdAt(), modelContext(task), task.requireApproval(),
                task.approvalTimeoutSeconds() != null ? task.approvalTimeoutSeconds() : tasksConfig.defaultApprovalTimeoutSeconds());
    }

    @Override
    public void recordEvent(String taskId, String key, EventType type, String message, Map<String, Object> payload) {
        progress.recordEvent(taskId, key, type, message, payload);
    }

    @Override
    public void recordModelCall(String taskId, ModelReply reply) {
        ChatResponse response = reply.response();
        progress.recordModelCall(new ModelCall(taskId, reply.callKey(), reply.purpose().name(), response.provider(),
                response.model(), response.inputTokens(), response.outputTokens(), reply.cost()), outputText(response));
    }

    @Override
    public TaskStatus status(String taskId) {
        return progress.status(taskId).orElse(null);
    }

    @Override
    public String requestApproval(String taskId, String key, ToolCall call) {
        String approvalId = progress.requestApproval(taskId, key, call.name(),
                call.arguments() == null ? "" : call.arguments()).orElse(null);
        LOG.infof("task_id=%s approval_id=%s waits for a decision to run %s", taskId, approvalId, call.name());
        return approvalId;
    }

    @Override
    public Decision decision(String approvalId) {
        return progress.approval(approvalId).map(approval -> new Decision(approval.status(), approval.feedback()))
                .orElse(new Decision(Approval.Status.EXPIRED, null));
    }

    @Override
    public void finish(String taskId, TaskOutcome outcome) {
        boolean changed = progress.finish(taskId, outcome);
        LOG.infof("task_id=%s finished status=%s recorded=%s", taskId, outcome.status(), changed);
    }

    private Duration callTimeout(String provider) {
        try {
            return providers.get(provider).callTimeout().plus(CALL_MARGIN);
        } catch (ProviderException notConfigured) {
            return CALL_MARGIN; // the call fails at once, for good
        }
    }

    /** The LLM_OUTPUT text of a call: its answer, or which tools it asked for. */
    private static String outputText(ChatResponse response) {
        if (!response.hasToolCalls()) {
            return response.text();
        }
        String calls = response.toolCalls().stream().map(ToolCall::name).collect(Collectors.joining(", "));
        return response.text().isBlank() ? "Calling tools: " + calls : response.text() + "\nCalling tools: " + calls;
    }

    /**
     * The session's earlier completed turns as user/assistant messages, newest kept first within
     * the configured turn count and token budget (about four characters a token).
     */
    private List<ChatMessage> history(SubmittedTask task) {
        List<SessionTurn> turns = tasks.sessionHistory(task.tenantId(), task.sessionId(), task.createdAt(),
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

    /** The part of the task's context a model reads: the local model's {@code simulate} switches. */
    private Map<String, Object> modelContext(SubmittedTask task) {
        if (task.contextJson() == null) {
            return Map.of();
        }
        try {
            Object simulate = json.readValue(task.contextJson(), JSON_OBJECT).get("simulate");
            return simulate == null ? Map.of() : Map.of("simulate", simulate);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
