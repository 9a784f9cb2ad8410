package dev.taskgate.task;

import dev.taskgate.events.EventLog;
import dev.taskgate.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every change of a task row, each with its event, in the caller's transaction. Statuses change
 * only by guarded updates: QUEUED → RUNNING, and unfinished → terminal, so a terminal status is
 * final and exactly one terminal event is written. Event numbers come from the task row
 * ({@code tasks.last_event_seq}), whose row lock serialises writers, so they start at 1 and have
 * no gaps; no event follows the terminal one. A model call's usage is added to the task with its
 * {@code model_calls} row, so usage is always the exact sum of the calls. A task is PAUSED while
 * its tenant asked it to pause or one of its tool calls waits for a decision ({@link #settle}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class TaskTransitions {

    /** What a terminal transition changed, for metrics: the task's mode and provider, and its age. */
    public record Finished(TaskStatus status, ExecutionMode mode, String provider, Duration age) {
    }

    private final EntityManager database;
    private final EventLog eventLog;
    private final TaskWebhooks webhooks;

    public TaskTransitions(EntityManager database, EventLog eventLog, TaskWebhooks webhooks) {
        this.database = database;
        this.eventLog = eventLog;
        this.webhooks = webhooks;
    }

    /** Stores a new task with its TASK_QUEUED event (seq 1). */
    public void insert(Task task) {
        task.lastEventSeq = 1;
        database.persist(task);
        database.flush();
        record(task.id, 1, null, EventType.TASK_QUEUED, "Task queued",
                Map.of("mode", task.mode.name(), "session_id", task.sessionId));
    }

    /**
     * QUEUED → RUNNING with its TASK_STARTED event. True while the task is unfinished (also when
     * it was RUNNING already: a run started again), false once it has ended or is gone.
     */
    public boolean markRunning(String id) {
        Optional<Object[]> row = returning("UPDATE tasks SET status = 'RUNNING', updated_at = now(),"
                + " last_event_seq = last_event_seq + 1 WHERE id = ?1 AND status = 'QUEUED' RETURNING last_event_seq, mode", id);
        if (row.isPresent()) {
            record(id, ((Number) row.get()[0]).longValue(), null, EventType.TASK_STARTED, "Task started", null);
            return true;
        }
        return !database.createNativeQuery("SELECT 1 FROM tasks WHERE id = ?1 AND " + TaskStatus.UNFINISHED_SQL)
                .setParameter(1, id).getResultList().isEmpty();
    }

    /** Moves an unfinished task to a terminal status and writes its terminal event, the task's last. */
    public Optional<Finished> finish(String id, TaskOutcome outcome) {
        String error = outcome.error() == null ? "" : outcome.error();
        Optional<Object[]> row = returning("UPDATE tasks SET status = ?2, result = ?3, error = ?4, updated_at = now(),"
                        + " model_used = coalesce(CAST(?5 AS varchar), model_used),"
                        + " provider = coalesce(CAST(?6 AS varchar), provider), last_event_seq = last_event_seq + 1"
                        + " WHERE id = ?1 AND " + TaskStatus.UNFINISHED_SQL
                        + " RETURNING last_event_seq, mode, coalesce(provider, llm_provider), CAST(extract(epoch FROM (now() - created_at)) * 1000 AS bigint)",
                id, outcome.status().name(), outcome.result(), error, outcome.model(), outcome.provider());
        return row.map(r -> {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("status", outcome.status().name());
            if (outcome.result() != null) {
                payload.put("result", outcome.result());
            }
            if (!error.isEmpty()) {
                payload.put("error", error);
            }
            record(id, ((Number) r[0]).longValue(), null, terminalEvent(outcome.status()),
                    error.isEmpty() ? "Task " + outcome.status().name().toLowerCase(Locale.ROOT) : error, payload);
            expirePendingApprovals(id);
            return new Finished(outcome.status(), ExecutionMode.valueOf((String) r[1]), (String) r[2],
                    Duration.ofMillis(((Number) r[3]).longValue()));
        });
    }

    /**
     * Records one model call and adds its usage to the task. A call already recorded (same call
     * key) changes nothing; returns whether the call was new. A new call also writes its
     * LLM_OUTPUT event (the full output text) while the task is unfinished.
     */
    public boolean recordModelCall(ModelCall call, String output) {
        int inserted = database.createNativeQuery(
                        "INSERT INTO model_calls (task_id, call_key, purpose, provider, model, input_tokens, output_tokens, cost)"
                                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (task_id, call_key) DO NOTHING")
                .setParameter(1, call.taskId()).setParameter(2, call.callKey()).setParameter(3, call.purpose())
                .setParameter(4, call.provider()).setParameter(5, call.model()).setParameter(6, call.inputTokens())
                .setParameter(7, call.outputTokens()).setParameter(8, call.cost())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        database.createNativeQuery("UPDATE tasks SET model_used = ?2, provider = ?3,"
                        + " input_tokens = coalesce(input_tokens, 0) + ?4, output_tokens = coalesce(output_tokens, 0) + ?5,"
                        + " estimated_cost = coalesce(estimated_cost, 0) + ?6 WHERE id = ?1")
                .setParameter(1, call.taskId()).setParameter(2, call.model()).setParameter(3, call.provider())
                .setParameter(4, call.inputTokens()).setParameter(5, call.outputTokens()).setParameter(6, call.cost())
                .executeUpdate();
        append(call.taskId(), null, EventType.LLM_OUTPUT, output, Map.of("purpose", call.purpose(),
                "model", call.model(), "provider", call.provider(), "input_tokens", call.inputTokens(),
                "output_tokens", call.outputTokens(), "cost", call.cost(), "call", call.callKey()));
        return true;
    }

    /**
     * Appends an event to a task that is still unfinished, at most once per {@code stepKey}
     * (null: no such check); nothing once the task has ended (its terminal event is last).
     */
    public void append(String taskId, String stepKey, EventType type, String message, Map<String, ?> payload) {
        returning("UPDATE tasks SET last_event_seq = last_event_seq + 1 WHERE id = ?1 AND " + TaskStatus.UNFINISHED_SQL
                        + " AND (CAST(?2 AS varchar) IS NULL OR NOT EXISTS"
                        + " (SELECT 1 FROM task_events WHERE task_id = ?1 AND step_key = ?2)) RETURNING last_event_seq",
                taskId, stepKey)
                .ifPresent(row -> record(taskId, ((Number) row[0]).longValue(), stepKey, type, message, payload));
    }

    /**
     * Asks an unfinished task to pause ({@code pause}) or to go on, with the tenant's reason (the
     * first reason of a pause is kept), then settles its status. False when the task has ended.
     */
    public boolean requestPause(String id, boolean pause, String reason) {
        if (lockUnfinished(id).isEmpty()) {
            return false;
        }
        database.createNativeQuery("UPDATE tasks SET pause_reason = CASE WHEN ?2 AND pause_requested THEN pause_reason"
                        + " WHEN ?2 THEN CAST(?3 AS text) END, pause_requested = ?2 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, pause).setParameter(3, reason).executeUpdate();
        settle(id, reason);
        return true;
    }

    int expirePendingApprovals(String taskId) {
        return database.createNativeQuery("UPDATE approvals SET status = 'EXPIRED', decided_at = now()"
                + " WHERE task_id = ?1 AND status = 'PENDING'").setParameter(1, taskId).executeUpdate();
    }

    /**
     * PAUSED while a pause is requested or an approval is pending, RUNNING otherwise; a change is
     * recorded with TASK_PAUSED or TASK_RESUMED. The time a pause lasted is added up: it does not
     * count toward the task's timeout.
     */
    void settle(String id, String why) {
        Optional<Object[]> row = lockUnfinished(id);
        if (row.isEmpty()) {
            return;
        }
        TaskStatus status = TaskStatus.valueOf((String) row.get()[0]);
        boolean requested = (Boolean) row.get()[1];
        String waitingFor = (String) row.get()[2];
        long pausedBefore = ((Number) row.get()[3]).longValue();
        if ((requested || waitingFor != null) && status != TaskStatus.PAUSED) {
            String reason = requested ? (why == null ? "Paused by request" : why) : "Waiting for approval to run " + waitingFor;
            returning("UPDATE tasks SET status = 'PAUSED', paused_at = now(), updated_at = now(),"
                    + " last_event_seq = last_event_seq + 1 WHERE id = ?1 RETURNING last_event_seq", id)
                    .ifPresent(r -> record(id, ((Number) r[0]).longValue(), null, EventType.TASK_PAUSED, reason,
                            Map.of("reason", reason)));
        } else if (!requested && waitingFor == null && status == TaskStatus.PAUSED) {
            returning("UPDATE tasks SET status = 'RUNNING', updated_at = now(), paused_at = NULL,"
                    + " paused_millis = paused_millis + CAST(extract(epoch FROM (now() - paused_at)) * 1000 AS bigint),"
                    + " last_event_seq = last_event_seq + 1 WHERE id = ?1 RETURNING last_event_seq, paused_millis", id)
                    .ifPresent(r -> record(id, ((Number) r[0]).longValue(), null, EventType.TASK_RESUMED,
                            why == null ? "Task resumed" : why,
                            Map.of("paused_seconds", (((Number) r[1]).longValue() - pausedBefore) / 1000)));
        }
    }

    /**
     * Locks an unfinished task's row: its status, whether a pause is requested, the tool of its
     * oldest pending approval, and its paused time so far.
     */
    Optional<Object[]> lockUnfinished(String id) {
        List<?> rows = database.createNativeQuery("SELECT status, pause_requested, (SELECT tool FROM approvals a"
                        + " WHERE a.task_id = t.id AND a.status = 'PENDING' ORDER BY requested_at, id LIMIT 1), paused_millis"
                        + " FROM tasks t WHERE id = ?1 AND " + TaskStatus.UNFINISHED_SQL + " FOR UPDATE")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(Object[].class::cast);
    }

    /** Writes an event and, in the same transaction, the webhook deliveries it causes. */
    private void record(String taskId, long seq, String stepKey, EventType type, String message, Map<String, ?> payload) {
        eventLog.insert(taskId, seq, stepKey, type, message, payload);
        webhooks.recorded(taskId, type);
    }

    /** Runs a guarded UPDATE ... RETURNING; empty when no row matched. */
    private Optional<Object[]> returning(String sql, Object... parameters) {
        var query = database.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<?> rows = query.getResultList();
        return rows.stream().findFirst().map(row -> row instanceof Object[] columns ? columns : new Object[]{row});
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
}
