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
import dev.taskgate.idempotency.IdempotencyKeys;
import dev.taskgate.idempotency.IdempotencyRecord;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The task use cases shared by REST and gRPC: submit, get, cancel, listing and sessions. Polls
 * are served from {@link TaskCache} when it has a current copy.
 */
@ApplicationScoped
public class TaskService {

    private static final Logger LOG = Logger.getLogger(TaskService.class);
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    public static final int MAX_EVENT_PAGE = 1000;

    private final TaskRepository tasks;
    private final TaskWorkflows workflows;
    private final TaskgateConfig.Tasks limits;
    private final ObjectMapper json;
    private final EventLog eventLog;
    private final EventFollower follower;
    private final TaskMetrics metrics;
    private final ProviderRegistry providers;
    private final ObjectMapper canonicalJson;
    private final IdempotencyKeys idempotency;
    private final TaskCache cache;

    public TaskService(TaskRepository tasks, TaskWorkflows workflows, TaskgateConfig config, ObjectMapper json,
                       EventLog eventLog, EventFollower follower, TaskMetrics metrics, ProviderRegistry providers,
                       IdempotencyKeys idempotency, TaskCache cache) {
        this.metrics = metrics;
        this.eventLog = eventLog;
        this.follower = follower;
        this.tasks = tasks;
        this.providers = providers;
        this.workflows = workflows;
        this.limits = config.tasks();
        this.json = json;
        this.canonicalJson = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.idempotency = idempotency;
        this.cache = cache;
    }

    /**
     * Validates and stores a task (committed as QUEUED), then starts its workflow. If Temporal
     * cannot be reached the task stays QUEUED and the reconciler starts it later.
     */
    public Task submit(String tenantId, SubmitCommand command) {
        return submit(tenantId, command, null).value();
    }

    /**
     * Like {@link #submit(String, SubmitCommand)}; with an idempotency key, the first request
     * creates the task and records the key in the same transaction (the key's primary key makes
     * concurrent requests wait for and then replay that one), and later ones return that task.
     */
    public Replayable<Task> submit(String tenantId, SubmitCommand command, String idempotencyKey) {
        String key = IdempotencyKeys.validKey(idempotencyKey);
        Task task = newTask(tenantId, command);
        if (key == null) {
            tasks.insert(task);
        } else {
            String hash = IdempotencyKeys.hash(canonical(command));
            Optional<IdempotencyRecord> earlier = QuarkusTransaction.requiringNew().call(() -> {
                Optional<IdempotencyRecord> used = idempotency.claimDone(tenantId, key, "submit", hash, 202, task.id);
                if (used.isEmpty()) {
                    tasks.insert(task);
                }
                return used;
            });
            if (earlier.isPresent()) {
                LOG.debugf("task_id=%s submit replayed for an idempotency key", earlier.get().taskId());
                return new Replayable<>(find(tenantId, earlier.get().taskId()), true);
            }
        }
        metrics.submitted(task.mode);
        try {
            workflows.start(task.id, task.timeoutSeconds);
        } catch (RuntimeException e) {
            LOG.warnf("task_id=%s accepted but its workflow could not be started yet (%s); the reconciler will retry",
                    task.id, e.getClass().getSimpleName());
        }
        LOG.infof("task_id=%s submitted mode=%s tenant=%s provider=%s model=%s", task.id, task.mode, tenantId,
                task.llmProvider, task.llmModel);
        return new Replayable<>(task, false);
    }

    private Task newTask(String tenantId, SubmitCommand command) {
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
        return task;
    }

    /** The request as canonical JSON (sorted keys), so equal bodies hash equally however they were written. */
    private String canonical(SubmitCommand command) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("query", command.query());
        fields.put("session_id", command.sessionId());
        fields.put("mode", command.mode());
        fields.put("context", command.context());
        fields.put("timeout_seconds", command.timeoutSeconds());
        fields.put("provider", command.provider());
        fields.put("model", command.model());
        fields.put("model_tier", command.modelTier());
        try {
            return canonicalJson.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw TaskgateException.invalid("context must be a JSON object");
        }
    }

    /**
     * The caller's task as the database has it now; a terminal task comes from memory once read.
     * May be called from any worker thread (it activates a request context for the database
     * session when there is none).
     */
    @ActivateRequestContext
    public Task get(String tenantId, String taskId) {
        Optional<Task> cached = cache.terminal(tenantId, taskId);
        if (cached.isPresent()) {
            return cached.get();
        }
        long readStartedAt = System.nanoTime();
        Task task = find(tenantId, taskId);
        cache.remember(task, readStartedAt);
        return task;
    }

    /** The caller's task for a poll: like {@link #get}, but a current copy in memory (see {@link TaskCache}) will do. */
    public Task poll(String tenantId, String taskId) {
        return cache.current(tenantId, taskId).orElseGet(() -> get(tenantId, taskId));
    }

    /** The caller's tasks matching the query, newest first, one page at a time. */
    public TaskPage list(String tenantId, TaskQuery query) {
        PageTokens.Position after = PageTokens.parseTasks(query.pageToken());
        int limit = TaskFilters.limit(query.limit());
        if (query.sessionId() != null) {
            checkedSessionId(query.sessionId());
        }
        List<Task> rows = tasks.page(tenantId, query, after, limit + 1);
        if (rows.size() <= limit) {
            return new TaskPage(rows, null);
        }
        List<Task> page = rows.subList(0, limit);
        Task last = page.get(limit - 1);
        return new TaskPage(List.copyOf(page), PageTokens.tasks(last.createdAt, last.id));
    }

    /** The caller's sessions, the most recently started first. */
    public SessionPage sessions(String tenantId, int limit, String pageToken) {
        PageTokens.Position after = PageTokens.parseSessions(pageToken);
        int size = TaskFilters.limit(limit);
        List<SessionSummary> rows = tasks.sessions(tenantId, null, after, size + 1);
        if (rows.size() <= size) {
            return new SessionPage(rows, null);
        }
        List<SessionSummary> page = rows.subList(0, size);
        SessionSummary last = page.get(size - 1);
        return new SessionPage(List.copyOf(page), PageTokens.sessions(last.firstActivityAt(), last.sessionId()));
    }

    /** One of the caller's sessions; NOT_FOUND when the tenant has no task in it. */
    public SessionSummary session(String tenantId, String sessionId) {
        String id = checkedSessionId(sessionId);
        return tasks.sessions(tenantId, id, null, 1).stream().findFirst()
                .orElseThrow(() -> new TaskgateException(ErrorKind.NOT_FOUND, "Session not found"));
    }

    /** The tasks of one of the caller's sessions; NOT_FOUND when the tenant has no task in it. */
    public TaskPage sessionTasks(String tenantId, String sessionId, TaskQuery query) {
        session(tenantId, sessionId);
        return list(tenantId, query.withSession(sessionId));
    }

    /**
     * Cancel with an optional idempotency key: the first request runs and its answer is
     * recorded; later ones with the same key and reason get that answer again.
     */
    public Replayable<CancelResult> cancel(String tenantId, String taskId, String reason, String idempotencyKey) {
        String key = IdempotencyKeys.validKey(idempotencyKey);
        if (key == null) {
            return new Replayable<>(cancel(tenantId, taskId, reason), false);
        }
        find(tenantId, taskId);
        String operation = "cancel:" + taskId;
        String hash = IdempotencyKeys.hash(operation + "\n" + (reason == null ? "" : reason.strip()));
        Optional<IdempotencyRecord> earlier = idempotency.claimPending(tenantId, key, operation, hash, taskId);
        if (earlier.isPresent()) {
            try {
                return new Replayable<>(json.readValue(earlier.get().response(), CancelResult.class), true);
            } catch (JsonProcessingException e) {
                throw new TaskgateException(ErrorKind.INTERNAL, "Internal error");
            }
        }
        CancelResult result;
        try {
            result = cancel(tenantId, taskId, reason);
        } catch (RuntimeException e) {
            idempotency.release(tenantId, key);
            throw e;
        }
        try {
            idempotency.complete(tenantId, key, 202, taskId, json.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            idempotency.release(tenantId, key);
        }
        return new Replayable<>(result, false);
    }

    /**
     * Cancels a task: the row becomes CANCELLED first (the guarded update makes that final, and a
     * task that finished a moment earlier keeps its status), then its workflow is asked to stop.
     * Whatever the workflow still does afterwards cannot change the task.
     */
    public CancelResult cancel(String tenantId, String taskId, String reason) {
        Task task = find(tenantId, taskId);
        if (task.status == TaskStatus.CANCELLED) {
            return new CancelResult(true, "Task already cancelled", task.id, task.status);
        }
        if (task.status.isTerminal()) {
            throw finishedConflict(task.status);
        }
        boolean cancelled = tasks.finish(task.id, TaskOutcome.cancelled(reason == null ? null : reason.strip()));
        cache.forget(task.id);
        if (!cancelled) {
            task = find(tenantId, taskId);
            if (task.status == TaskStatus.CANCELLED) {
                return new CancelResult(true, "Task already cancelled", task.id, task.status);
            }
            throw finishedConflict(task.status);
        }
        try {
            workflows.cancel(task.id, reason);
        } catch (RuntimeException e) {
            // the workflow's remaining steps cannot change the task, and its next model call stops it
            LOG.warnf("task_id=%s cancelled, but its workflow could not be told: %s", task.id, e.toString());
        }
        return new CancelResult(true, "Task cancelled", task.id, TaskStatus.CANCELLED);
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
     * terminal event, with live partial output if asked. Checks the task (404 for another
     * tenant) before anything is sent.
     */
    public void streamEvents(String tenantId, String taskId, long afterSeq, boolean partials, EventSink sink) {
        Task task = find(tenantId, taskId);
        if (afterSeq < 0) {
            throw TaskgateException.invalid("after must be a non-negative event seq");
        }
        follower.follow(task.id, afterSeq, partials, sink);
    }

    private Task find(String tenantId, String taskId) {
        return tasks.findForTenant(TaskId.checked(taskId), tenantId).orElseThrow(TaskgateException::taskNotFound);
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
            return generatedSessionId();
        }
        return checkedSessionId(sessionId);
    }

    private static String generatedSessionId() {
        return "session_" + UlidCreator.getMonotonicUlid();
    }

    private static String checkedSessionId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
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
