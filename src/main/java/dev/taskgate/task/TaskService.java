package dev.taskgate.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.f4b6a3.ulid.UlidCreator;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.events.EventFollower;
import dev.taskgate.events.EventLog;
import dev.taskgate.events.EventSink;
import dev.taskgate.events.TaskEvent;
import dev.taskgate.llm.ModelChoice;
import dev.taskgate.llm.ProviderRegistry;
import dev.taskgate.workflow.TaskWorkflows;
import dev.taskgate.workflow.WorkflowState;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/** The task use cases shared by REST and gRPC: submit, get, cancel, and reconciliation with Temporal. */
@ApplicationScoped
public class TaskService {

    private static final Logger LOG = Logger.getLogger(TaskService.class);
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
    public static final int MAX_EVENT_PAGE = 1000;

    private final TaskRepository tasks;
    private final TaskWorkflows workflows;
    private final TaskgateConfig.Tasks limits;
    private final ObjectMapper json;
    private final EventLog eventLog;
    private final EventFollower follower;
    private final TaskMetrics metrics;
    private final ProviderRegistry providers;

    public TaskService(TaskRepository tasks, TaskWorkflows workflows, TaskgateConfig config, ObjectMapper json,
                       EventLog eventLog, EventFollower follower, TaskMetrics metrics, ProviderRegistry providers) {
        this.metrics = metrics;
        this.eventLog = eventLog;
        this.follower = follower;
        this.tasks = tasks;
        this.providers = providers;
        this.workflows = workflows;
        this.limits = config.tasks();
        this.json = json;
    }

    /**
     * Validates and stores a task (committed as QUEUED), then starts its workflow. If Temporal
     * cannot be reached the task stays QUEUED and the reconciler starts it later.
     */
    public Task submit(String tenantId, SubmitCommand command) {
        Task task = new Task();
        task.id = "task_" + UlidCreator.getMonotonicUlid();
        task.tenantId = tenantId;
        task.status = TaskStatus.QUEUED;
        task.query = validQuery(command.query());
        task.sessionId = validSessionId(command.sessionId());
        task.mode = ExecutionMode.parse(command.mode());
        task.timeoutSeconds = validTimeout(command.timeoutSeconds());
        task.context = contextJson(command);
        ModelChoice choice = providers.resolve(command.provider(), command.model(), command.modelTier());
        task.llmProvider = choice.provider();
        task.llmModel = choice.model();
        task.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        task.updatedAt = task.createdAt;
        tasks.insert(task);
        metrics.submitted(task.mode);
        try {
            workflows.start(task.id, task.timeoutSeconds);
        } catch (RuntimeException e) {
            LOG.warnf("task_id=%s accepted but its workflow could not be started yet (%s); the reconciler will retry",
                    task.id, e.getClass().getSimpleName());
        }
        LOG.infof("task_id=%s submitted mode=%s tenant=%s provider=%s model=%s", task.id, task.mode, tenantId,
                task.llmProvider, task.llmModel);
        return task;
    }

    /** The caller's task; an unfinished task whose workflow has gone quiet is first checked against Temporal. */
    public Task get(String tenantId, String taskId) {
        Task task = find(tenantId, taskId);
        if (!task.status.isTerminal() && isStale(task)) {
            try {
                reconcile(task);
            } catch (RuntimeException e) {
                LOG.debugf("task_id=%s could not be reconciled now: %s", task.id, e.getMessage());
            }
            task = find(tenantId, taskId);
        }
        return task;
    }

    public CancelResult cancel(String tenantId, String taskId, String reason) {
        Task task = find(tenantId, taskId);
        if (task.status == TaskStatus.CANCELLED) {
            return new CancelResult(true, "Task already cancelled", task.id, task.status);
        }
        if (task.status.isTerminal()) {
            throw finishedConflict(task.status);
        }
        tasks.setCancelReason(task.id, reason == null ? null : reason.strip());
        if (workflows.cancel(task.id, reason)) {
            workflows.awaitClose(task.id, CANCEL_WAIT);
        } else {
            tasks.finish(task.id, TaskOutcome.cancelled(reason));
        }
        task = find(tenantId, taskId);
        if (task.status == TaskStatus.CANCELLED) {
            return new CancelResult(true, "Task cancelled", task.id, task.status);
        }
        if (task.status.isTerminal()) {
            throw finishedConflict(task.status);
        }
        return new CancelResult(true, "Cancellation requested", task.id, task.status);
    }

    /** A page of the caller's task's stored events with seq greater than {@code afterSeq}. */
    public List<TaskEvent> events(String tenantId, String taskId, long afterSeq, int limit) {
        Task task = find(tenantId, taskId);
        if (afterSeq < 0) {
            throw TaskgateException.invalid("after must be a non-negative event seq");
        }
        if (limit < 1 || limit > MAX_EVENT_PAGE) {
            throw TaskgateException.invalid("limit must be between 1 and " + MAX_EVENT_PAGE);
        }
        return eventLog.after(task.id, afterSeq, limit);
    }

    /**
     * Streams the caller's task's events after {@code afterSeq} into {@code sink} until the
     * terminal event. Checks the task (404 for another tenant) before anything is sent.
     */
    public void streamEvents(String tenantId, String taskId, long afterSeq, EventSink sink) {
        Task task = find(tenantId, taskId);
        if (afterSeq < 0) {
            throw TaskgateException.invalid("after must be a non-negative event seq");
        }
        follower.follow(task.id, afterSeq, sink);
    }

    /**
     * Brings an unfinished task in line with its workflow: a closed or vanished workflow gets
     * its true terminal status; a QUEUED task whose workflow was never started is started.
     */
    public void reconcile(Task task) {
        WorkflowState state = workflows.describe(task.id);
        TaskOutcome outcome = switch (state) {
            case RUNNING -> null;
            case NOT_FOUND -> task.status == TaskStatus.QUEUED ? null : TaskOutcome.failed(
                    "Task interrupted: its workflow no longer exists (the Temporal server lost it, e.g. in a restart)");
            case COMPLETED -> TaskOutcome.failed("Task interrupted: its workflow ended without recording a result");
            case FAILED -> TaskOutcome.failed("Task failed: its workflow failed");
            case CANCELED -> TaskOutcome.cancelled(task.cancelReason);
            case TERMINATED -> TaskOutcome.failed("Task interrupted: its workflow was terminated");
            case TIMED_OUT -> TaskOutcome.timedOut("Task exceeded its workflow execution timeout");
        };
        if (state == WorkflowState.NOT_FOUND && task.status == TaskStatus.QUEUED) {
            LOG.infof("task_id=%s is QUEUED without a workflow; starting it", task.id);
            workflows.start(task.id, task.timeoutSeconds);
        } else if (outcome != null && tasks.finish(task.id, outcome)) {
            LOG.warnf("task_id=%s reconciled to %s: %s", task.id, outcome.status(), outcome.error());
        }
    }

    private Task find(String tenantId, String taskId) {
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
            throw TaskgateException.invalid(
                    "Invalid task id: expected 1-64 characters from A-Z, a-z, 0-9, '_' and '-'");
        }
        return tasks.findForTenant(taskId, tenantId).orElseThrow(TaskgateException::taskNotFound);
    }

    private boolean isStale(Task task) {
        return task.updatedAt.isBefore(Instant.now().minus(limits.reconcileAfter()));
    }

    private String validQuery(String query) {
        if (query == null || query.isBlank()) {
            throw TaskgateException.invalid("query is required and must not be empty");
        }
        int bytes = query.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxQueryBytes()) {
            throw new TaskgateException(ErrorKind.TOO_LARGE,
                    "query is " + bytes + " bytes; the limit is " + limits.maxQueryBytes() + " bytes");
        }
        return query;
    }

    private static String validSessionId(String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) {
            return "session_" + UlidCreator.getMonotonicUlid();
        }
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw TaskgateException.invalid(
                    "Invalid session_id: expected 1-128 characters from A-Z, a-z, 0-9 and . _ : @ -");
        }
        return sessionId;
    }

    private int validTimeout(Long timeoutSeconds) {
        if (timeoutSeconds == null) {
            return limits.defaultTimeoutSeconds();
        }
        if (timeoutSeconds < 1 || timeoutSeconds > limits.maxTimeoutSeconds()) {
            throw TaskgateException.invalid(
                    "timeout_seconds must be between 1 and " + limits.maxTimeoutSeconds());
        }
        return timeoutSeconds.intValue();
    }

    private String contextJson(SubmitCommand command) {
        if (command.context() == null || command.context().isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(command.context());
        } catch (JsonProcessingException e) {
            throw TaskgateException.invalid("context must be a JSON object");
        }
    }

    private static TaskgateException finishedConflict(TaskStatus status) {
        String what = switch (status) {
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            default -> "timed out";
        };
        return new TaskgateException(ErrorKind.CONFLICT, "Task has already " + what + " and cannot be cancelled");
    }
}
