package dev.taskgate.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.llm.ChatProvider;
import dev.taskgate.llm.ChatRequest;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ProviderException;
import dev.taskgate.task.Task;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskRepository;
import dev.taskgate.task.TaskStatus;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.Map;

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
    private final ChatProvider provider;
    private final ObjectMapper json;

    public TaskActivitiesImpl(TaskRepository tasks, ChatProvider provider, ObjectMapper json) {
        this.tasks = tasks;
        this.provider = provider;
        this.json = json;
    }

    @Override
    public boolean markRunning(String taskId) {
        boolean started = tasks.markRunning(taskId);
        LOG.debugf("task_id=%s running=%s", taskId, started);
        return started;
    }

    @Override
    public ModelAnswer callModel(String taskId) {
        Task task = tasks.findByIdOptional(taskId)
                .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("Task row is missing", "MissingTask"));
        ChatResponse response;
        try {
            response = provider.chat(new ChatRequest(task.query, context(task), task.mode.name()));
        } catch (ProviderException e) {
            LOG.infof("task_id=%s model call failed (retryable=%s): %s", taskId, e.retryable(), e.getMessage());
            throw e.retryable()
                    ? ApplicationFailure.newFailure(e.getMessage(), PROVIDER_UNAVAILABLE)
                    : ApplicationFailure.newNonRetryableFailure(e.getMessage(), PROVIDER_ERROR);
        }
        tasks.recordModelOutput(taskId, response.model(), response.provider(), response.inputTokens(),
                response.outputTokens(), BigDecimal.ZERO, response.text());
        return new ModelAnswer(response.text(), response.model(), response.provider());
    }

    @Override
    public void finish(String taskId, TaskOutcome outcome) {
        TaskOutcome recorded = outcome.status() == TaskStatus.CANCELLED
                ? TaskOutcome.cancelled(tasks.findByIdOptional(taskId).map(t -> t.cancelReason).orElse(null))
                : outcome;
        boolean changed = tasks.finish(taskId, recorded);
        LOG.infof("task_id=%s finished status=%s recorded=%s", taskId, outcome.status(), changed);
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
