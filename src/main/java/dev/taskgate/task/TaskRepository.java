package dev.taskgate.task;

import dev.taskgate.events.EventLog;
import dev.taskgate.events.EventType;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes of task rows. Every status change goes through {@link #markRunning} or
 * {@link #finish}, whose WHERE clause makes terminal statuses final, and writes its event in the
 * same transaction; the event log announces it with {@code pg_notify}, so streams and long polls
 * hear of it exactly when it is committed.
 */
@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<Task, String> {

    private final EventLog events;
    private final TaskMetrics metrics;

    public TaskRepository(EventLog events, TaskMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    private static final List<TaskStatus> UNFINISHED = List.of(TaskStatus.QUEUED, TaskStatus.RUNNING);

    /**
     * The task as stored now. The row is detached, so a later call in the same request reads
     * the database again instead of returning the first read from the persistence context.
     */
    public Optional<Task> findForTenant(String id, String tenantId) {
        Optional<Task> task = find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
        task.ifPresent(getEntityManager()::detach);
        return task;
    }

    /** Stores a new task with its TASK_QUEUED event (seq 1). */
    @Transactional
    public void insert(Task task) {
        task.lastEventSeq = 1;
        persist(task);
        flush();
        events.insert(task.id, 1, EventType.TASK_QUEUED, "Task queued",
                Map.of("mode", task.mode.name(), "session_id", task.sessionId));
    }

    /**
     * QUEUED → RUNNING with its TASK_STARTED event. True while the task is unfinished (also when
     * it was RUNNING already: a run started again), false once it has ended or is gone.
     */
    @Transactional
    public boolean markRunning(String id) {
        Optional<Object[]> row = transition("UPDATE tasks SET status = 'RUNNING', updated_at = now(),"
                + " last_event_seq = last_event_seq + 1 WHERE id = ?1 AND status = 'QUEUED'"
                + " RETURNING last_event_seq, mode", id);
        if (row.isPresent()) {
            events.insert(id, ((Number) row.get()[0]).longValue(), EventType.TASK_STARTED, "Task started", null);
            return true;
        }
        return count("id = ?1 and status = ?2", id, TaskStatus.RUNNING) > 0;
    }

    /**
     * Whether the task has a terminal status (or no longer exists). In its own transaction, so a
     * caller that goes on for minutes (a model call) does not hold a connection meanwhile.
     */
    @Transactional
    public boolean isFinished(String id) {
        return count("id = ?1 and status in ?2", id, UNFINISHED) == 0;
    }

    /**
     * Moves an unfinished task to a terminal status and writes its terminal event, the task's
     * last; false if the task was already terminal.
     */
    @Transactional
    public boolean finish(String id, TaskOutcome outcome) {
        if (!outcome.status().isTerminal()) {
            throw new IllegalArgumentException("not a terminal status: " + outcome.status());
        }
        String error = outcome.error() == null ? "" : outcome.error();
        Optional<Object[]> row = transition("UPDATE tasks SET status = ?2, result = ?3, error = ?4, updated_at = now(),"
                        + " model_used = coalesce(CAST(?5 AS varchar), model_used),"
                        + " provider = coalesce(CAST(?6 AS varchar), provider),"
                        + " last_event_seq = last_event_seq + 1"
                        + " WHERE id = ?1 AND status IN ('QUEUED', 'RUNNING')"
                        + " RETURNING last_event_seq, mode, provider,"
                        + " CAST(extract(epoch FROM (now() - created_at)) * 1000 AS bigint)",
                id, outcome.status().name(), outcome.result(), error, outcome.model(), outcome.provider());
        row.ifPresent(r -> {
            long seq = ((Number) r[0]).longValue();
            metrics.finished(outcome.status(), (String) r[1], (String) r[2],
                    Duration.ofMillis(((Number) r[3]).longValue()));
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("status", outcome.status().name());
            if (outcome.result() != null) {
                payload.put("result", outcome.result());
            }
            if (!error.isEmpty()) {
                payload.put("error", error);
            }
            events.insert(id, seq, terminalEvent(outcome.status()),
                    error.isEmpty() ? "Task " + outcome.status().name().toLowerCase(Locale.ROOT) : error, payload);
        });
        return row.isPresent();
    }

    /**
     * Records one model call and adds its usage to the task in the same transaction, so the
     * task's usage is always the exact sum of its calls. A call already recorded (same call key)
     * changes nothing; returns whether the call was new. A new call also writes its LLM_OUTPUT
     * event (the full output text) while the task is unfinished.
     */
    @Transactional
    public boolean recordModelCall(ModelCall call, String output) {
        int inserted = getEntityManager().createNativeQuery(
                        "INSERT INTO model_calls (task_id, call_key, purpose, provider, model, input_tokens, output_tokens, cost)"
                                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (task_id, call_key) DO NOTHING")
                .setParameter(1, call.taskId())
                .setParameter(2, call.callKey())
                .setParameter(3, call.purpose())
                .setParameter(4, call.provider())
                .setParameter(5, call.model())
                .setParameter(6, call.inputTokens())
                .setParameter(7, call.outputTokens())
                .setParameter(8, call.cost())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        update("modelUsed = :model, provider = :provider,"
                        + " inputTokens = coalesce(inputTokens, 0) + :in,"
                        + " outputTokens = coalesce(outputTokens, 0) + :out,"
                        + " estimatedCost = coalesce(estimatedCost, 0) + :cost"
                        + " where id = :id",
                Parameters.with("model", call.model()).and("provider", call.provider())
                        .and("in", call.inputTokens()).and("out", call.outputTokens()).and("cost", call.cost())
                        .and("id", call.taskId()));
        metrics.modelCall(call.provider(), call.model(), call.inputTokens(), call.outputTokens(), call.cost());
        events.appendWhileUnfinished(call.taskId(), EventType.LLM_OUTPUT, output, Map.of("purpose", call.purpose(),
                "model", call.model(), "provider", call.provider(),
                "input_tokens", call.inputTokens(), "output_tokens", call.outputTokens(), "cost", call.cost(),
                "call", call.callKey()));
        return true;
    }

    /** The latest {@code limit} completed turns of a session before {@code before}, oldest first. */
    public List<SessionTurn> sessionHistory(String tenantId, String sessionId, Instant before, int limit) {
        List<Task> latest = find("tenantId = ?1 and sessionId = ?2 and createdAt < ?3 and status = ?4"
                        + " order by createdAt desc, id desc",
                tenantId, sessionId, before, TaskStatus.COMPLETED).page(0, limit).list();
        List<SessionTurn> turns = new ArrayList<>(latest.size());
        for (int i = latest.size() - 1; i >= 0; i--) {
            turns.add(new SessionTurn(latest.get(i).query, latest.get(i).result));
        }
        return turns;
    }

    /**
     * Writes an event of an unfinished task in its own transaction, once per {@code stepKey}
     * (null: always); ignored once the task has ended.
     */
    @Transactional
    public void recordEvent(String taskId, String stepKey, EventType type, String message, Map<String, ?> payload) {
        events.appendOnce(taskId, stepKey, type, message, payload);
    }

    /** Runs a guarded status UPDATE ... RETURNING; empty when no row matched. */
    private Optional<Object[]> transition(String sql, Object... parameters) {
        var query = getEntityManager().createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().findFirst();
    }

    private static EventType terminalEvent(TaskStatus status) {
        return switch (status) {
            case COMPLETED -> EventType.TASK_COMPLETED;
            case FAILED -> EventType.TASK_FAILED;
            case CANCELLED -> EventType.TASK_CANCELLED;
            case TIMEOUT -> EventType.TASK_TIMEOUT;
            default -> throw new IllegalArgumentException("not terminal: " + status);
        };
    }

    /** Deletes up to {@code limit} finished tasks created before {@code cutoff}; their events go with them. */
    @Transactional
    public int deleteFinishedBefore(Instant cutoff, int limit) {
        return getEntityManager().createNativeQuery(
                        "DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE created_at < ?1"
                                + " AND status NOT IN ('QUEUED', 'RUNNING') LIMIT ?2)")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .executeUpdate();
    }

    /**
     * Unfinished tasks whose status has not changed since {@code before}, oldest change first,
     * after {@code after} in that order (null: from the start).
     */
    public List<Task> findStale(Instant before, Task after, int limit) {
        if (after == null) {
            return find("status in ?1 and updatedAt < ?2 order by updatedAt, id", UNFINISHED, before)
                    .page(0, limit).list();
        }
        return find("status in ?1 and updatedAt < ?2 and (updatedAt > ?3 or (updatedAt = ?3 and id > ?4))"
                + " order by updatedAt, id", UNFINISHED, before, after.updatedAt, after.id).page(0, limit).list();
    }

    /**
     * The tenant's tasks matching {@code query}, newest first (created_at, then id), after the
     * cursor position; at most {@code fetch} rows.
     */
    public List<Task> page(String tenantId, TaskQuery query, PageTokens.Position after, int fetch) {
        StringBuilder where = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (!query.statuses().isEmpty()) {
            where.append(" and status in :statuses");
            params.and("statuses", query.statuses());
        }
        if (!query.ids().isEmpty()) {
            where.append(" and id in :ids");
            params.and("ids", query.ids());
        }
        if (query.sessionId() != null) {
            where.append(" and sessionId = :session");
            params.and("session", query.sessionId());
        }
        if (query.mode() != null) {
            where.append(" and mode = :mode");
            params.and("mode", query.mode());
        }
        if (query.createdAfter() != null) {
            where.append(" and createdAt > :after");
            params.and("after", query.createdAfter());
        }
        if (query.createdBefore() != null) {
            where.append(" and createdAt < :before");
            params.and("before", query.createdBefore());
        }
        if (after != null) {
            where.append(" and (createdAt < :cursorAt or (createdAt = :cursorAt and id < :cursorId))");
            params.and("cursorAt", after.at()).and("cursorId", after.id());
        }
        return find(where + " order by createdAt desc, id desc", params).range(0, fetch - 1).list();
    }

    /**
     * The tenant's sessions (one id, or all), the newest first by the creation of their first
     * task, which never changes, so paging stays stable while tasks are added.
     */
    public List<SessionSummary> sessions(String tenantId, String sessionId, PageTokens.Position after, int fetch) {
        StringBuilder sql = new StringBuilder(
                "select session_id, count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
                        + " coalesce(sum(estimated_cost), 0), min(created_at), max(updated_at)"
                        + " from tasks where tenant_id = :tenant");
        if (sessionId != null) {
            sql.append(" and session_id = :session");
        }
        sql.append(" group by session_id");
        if (after != null) {
            sql.append(" having (min(created_at) < :cursorAt"
                    + " or (min(created_at) = :cursorAt and session_id < :cursorId))");
        }
        sql.append(" order by min(created_at) desc, session_id desc limit :fetch");
        var query = getEntityManager().createNativeQuery(sql.toString())
                .setParameter("tenant", tenantId)
                .setParameter("fetch", fetch);
        if (sessionId != null) {
            query.setParameter("session", sessionId);
        }
        if (after != null) {
            query.setParameter("cursorAt", after.at()).setParameter("cursorId", after.id());
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(row -> {
            Object[] r = (Object[]) row;
            return new SessionSummary((String) r[0], ((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                    ((Number) r[3]).longValue(), decimal(r[4]), instant(r[5]), instant(r[6]));
        }).toList();
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName());
    }
}
