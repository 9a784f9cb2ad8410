package dev.taskgate.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The per-task event log in PostgreSQL. Writers take sequence numbers from the task row
 * ({@code tasks.last_event_seq}), whose row lock serialises them, so they start at 1 and have
 * no gaps. Every insert also sends a {@code NOTIFY} on {@link TaskChanges#CHANNEL} with the
 * task's status — delivered only when the transaction commits — so event streams and long polls
 * on any replica wake up. Status changes always write an event, so they are announced here too.
 */
@ApplicationScoped
public class EventLog {

    private final ObjectMapper json;

    public EventLog(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Writes an event whose seq the caller took from {@code tasks.last_event_seq} in its
     * transaction (see {@code TaskTransitions}), with the key of the workflow step that wrote it, if any.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void insert(String taskId, long seq, String stepKey, EventType type, String message, Map<String, ?> payload) {
        Panache.getEntityManager().createNativeQuery(
                        "INSERT INTO task_events (task_id, seq, type, message, payload, created_at, step_key)"
                                + " VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), ?6, ?7)")
                .setParameter(1, taskId)
                .setParameter(2, seq)
                .setParameter(3, type.name())
                .setParameter(4, message == null ? "" : message)
                .setParameter(5, toJson(payload))
                .setParameter(6, OffsetDateTime.now())
                .setParameter(7, stepKey)
                .executeUpdate();
        Panache.getEntityManager().createNativeQuery("SELECT pg_notify(?1, ?2)")
                .setParameter(1, TaskChanges.CHANNEL)
                .setParameter(2, new TaskChange(taskId, type.taskStatus()).payload())
                .getSingleResult();
    }

    /** Stored events of a task with seq greater than {@code afterSeq}, oldest first. */
    @ActivateRequestContext
    public List<TaskEvent> after(String taskId, long afterSeq, int limit) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = Panache.getEntityManager().createNativeQuery(
                        "SELECT seq, type, message, CAST(payload AS text) AS payload, created_at FROM task_events"
                                + " WHERE task_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3", Tuple.class)
                .setParameter(1, taskId)
                .setParameter(2, afterSeq)
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(row -> new TaskEvent(taskId,
                row.get("seq", Number.class).longValue(),
                EventType.valueOf(row.get("type", String.class)),
                row.get("message", String.class),
                row.get("payload", String.class),
                instant(row.get("created_at")))).toList();
    }

    /** Whether the task's terminal event has a seq of at most {@code seq}: nothing will ever follow it. */
    @ActivateRequestContext
    public boolean endedBy(String taskId, long seq) {
        @SuppressWarnings("unchecked")
        List<String> last = Panache.getEntityManager().createNativeQuery(
                        "SELECT type FROM task_events WHERE task_id = ?1 AND seq <= ?2 ORDER BY seq DESC LIMIT 1")
                .setParameter(1, taskId)
                .setParameter(2, seq)
                .getResultList();
        return !last.isEmpty() && EventType.valueOf(last.get(0)).isTerminal();
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        return (Instant) value;
    }

    private String toJson(Map<String, ?> payload) {
        if (payload == null || payload.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not serialisable", e);
        }
    }
}
