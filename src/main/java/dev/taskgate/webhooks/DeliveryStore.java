package dev.taskgate.webhooks;

import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.task.TaskRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The delivery rows as the dispatcher uses them. {@link #claim} takes due deliveries with
 * {@code FOR UPDATE SKIP LOCKED} and, in the same statement, leases them (moves their
 * {@code next_attempt_at} past the longest an attempt can take): replicas polling at once each get
 * different rows, and a delivery claimed by a replica that then dies is due again when its lease
 * ends. {@link #record} stores an attempt's outcome; a result that arrives after its lease ended
 * (the delivery was claimed again meanwhile) changes nothing but the attempt history.
 */
@ApplicationScoped
public class DeliveryStore {

    /** A claimed delivery, ready to send: the body fixed at its first attempt and the keys that sign it. */
    public record Claimed(String id, String taskId, String tenantId, String endpointId, String url, String eventType,
                          String body, int attempts, int retryBase, List<byte[]> keys) {
    }

    /** What one attempt brought: {@code gone} for 410, {@code delivered} for 2xx, else a failed attempt. */
    public record Result(boolean delivered, boolean gone, Integer httpStatus, String error, long durationMillis) {
    }

    private static final String CLAIM = "UPDATE webhook_deliveries d SET attempts = d.attempts + 1,"
            + " next_attempt_at = now() + CAST(?2 AS double precision) * interval '1 millisecond'"
            + " FROM (SELECT id FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= now()"
            + " ORDER BY next_attempt_at LIMIT ?1 FOR UPDATE SKIP LOCKED) due WHERE d.id = due.id"
            + " RETURNING d.id, d.task_id, d.tenant_id, d.for_task, d.endpoint_id, d.url, d.event_type, d.event_at,"
            + " d.body, d.attempts, d.retry_base,"
            + " (SELECT e.enabled FROM webhook_endpoints e WHERE e.id = d.endpoint_id) AS endpoint_enabled";

    private final EntityManager database;
    private final TaskRepository tasks;
    private final TaskJson taskJson;
    private final SigningKeys keys;
    private final TaskgateConfig.Webhooks config;

    public DeliveryStore(EntityManager database, TaskRepository tasks, TaskJson taskJson, SigningKeys keys,
                         TaskgateConfig.Webhooks config) {
        this.database = database;
        this.tasks = tasks;
        this.taskJson = taskJson;
        this.keys = keys;
        this.config = config;
    }

    /** How long a claimed delivery stays with its claimer before another replica may send it. */
    Duration lease() {
        return config.attemptTimeout().multipliedBy(2).plusSeconds(5);
    }

    /** Claims up to {@code limit} due deliveries; those whose endpoint is gone or disabled are cancelled instead. */
    public List<Claimed> claim(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Tuple> rows = database.createNativeQuery(CLAIM, Tuple.class)
                    .setParameter(1, limit).setParameter(2, lease().toMillis()).getResultList();
            List<Claimed> claimed = new ArrayList<>(rows.size());
            for (Tuple row : rows) {
                String id = row.get("id", String.class);
                boolean forTask = row.get("for_task", Boolean.class);
                if (!forTask && !Boolean.TRUE.equals(row.get("endpoint_enabled", Boolean.class))) {
                    finish(id, "CANCELLED");
                    continue;
                }
                String taskId = row.get("task_id", String.class);
                String tenantId = row.get("tenant_id", String.class);
                String body = row.get("body", String.class);
                if (body == null) {
                    body = body(taskId, row.get("event_type", String.class), Times.instant(row.get("event_at")));
                    database.createNativeQuery("UPDATE webhook_deliveries SET body = ?2 WHERE id = ?1")
                            .setParameter(1, id).setParameter(2, body).executeUpdate();
                }
                String endpointId = row.get("endpoint_id", String.class);
                claimed.add(new Claimed(id, taskId, tenantId, endpointId, row.get("url", String.class),
                        row.get("event_type", String.class), body, row.get("attempts", Number.class).intValue(),
                        row.get("retry_base", Number.class).intValue(),
                        forTask ? keys.forTasks(tenantId) : keys.forEndpoint(endpointId)));
            }
            return claimed;
        });
    }

    /**
     * Stores an attempt and what follows from it: delivered; failed for good (410 Gone, which also
     * disables the endpoint, or the retry schedule used up); or due again after the schedule's next wait.
     * Returns the outcome's name for metrics: delivered, gone, failed or retrying.
     */
    public String record(Claimed delivery, Result result) {
        return QuarkusTransaction.requiringNew().call(() -> {
            database.createNativeQuery("INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, http_status,"
                            + " error, duration_ms) VALUES (?1, ?2, now() - CAST(?6 AS double precision) * interval '1 millisecond',"
                            + " CAST(?3 AS integer), ?4, ?5)"
                            + " ON CONFLICT DO NOTHING")
                    .setParameter(1, delivery.id()).setParameter(2, delivery.attempts())
                    .setParameter(3, result.httpStatus()).setParameter(4, result.error() == null ? "" : result.error())
                    .setParameter(5, result.durationMillis()).setParameter(6, result.durationMillis()).executeUpdate();
            if (result.delivered()) {
                update(delivery, "status = 'DELIVERED', delivered_at = now(), next_attempt_at = NULL");
                return "delivered";
            }
            if (result.gone()) {
                update(delivery, "status = 'FAILED', next_attempt_at = NULL");
                if (delivery.endpointId() != null) {
                    disableEndpoint(delivery.endpointId());
                }
                return "gone";
            }
            List<Duration> schedule = config.retrySchedule();
            int failedSinceResend = delivery.attempts() - delivery.retryBase();
            if (failedSinceResend > schedule.size()) {
                update(delivery, "status = 'FAILED', next_attempt_at = NULL");
                return "failed";
            }
            update(delivery, "next_attempt_at = now() + " + schedule.get(failedSinceResend - 1).toMillis()
                    + " * interval '1 millisecond'");
            return "retrying";
        });
    }

    /** The stored deliveries of a task, oldest first, with their attempts. */
    public List<WebhookDelivery> forTask(String tenantId, String taskId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Tuple> rows = database.createNativeQuery("SELECT id FROM webhook_deliveries WHERE task_id = ?1"
                    + " AND tenant_id = ?2 ORDER BY created_at, id", Tuple.class)
                    .setParameter(1, taskId).setParameter(2, tenantId).getResultList();
            return rows.stream().map(row -> find(row.get("id", String.class))).toList();
        });
    }

    /**
     * Makes a delivery of the tenant due now, with the retry schedule started again; NOT_FOUND for
     * another tenant's, CONFLICT when its endpoint was deleted or disabled.
     */
    public WebhookDelivery resend(String tenantId, String deliveryId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> rows = database.createNativeQuery("SELECT d.for_task, e.enabled FROM webhook_deliveries d"
                            + " LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?1 AND d.tenant_id = ?2"
                            + " FOR UPDATE OF d")
                    .setParameter(1, deliveryId).setParameter(2, tenantId).getResultList();
            if (rows.isEmpty()) {
                throw WebhookIds.deliveryNotFound();
            }
            Object[] row = (Object[]) rows.get(0);
            if (!((Boolean) row[0]) && !Boolean.TRUE.equals(row[1])) {
                throw new TaskgateException(ErrorKind.CONFLICT,
                        "The endpoint of this delivery was deleted or disabled; nothing can be re-sent to it");
            }
            database.createNativeQuery("UPDATE webhook_deliveries SET status = 'PENDING', retry_base = attempts,"
                    + " next_attempt_at = now(), delivered_at = NULL WHERE id = ?1").setParameter(1, deliveryId)
                    .executeUpdate();
            return find(deliveryId);
        });
    }

    private WebhookDelivery find(String id) {
        Tuple d = (Tuple) database.createNativeQuery("SELECT id, task_id, endpoint_id, url, event_type, status,"
                        + " created_at, next_attempt_at, delivered_at FROM webhook_deliveries WHERE id = ?1", Tuple.class)
                .setParameter(1, id).getSingleResult();
        @SuppressWarnings("unchecked")
        List<Tuple> attempts = database.createNativeQuery("SELECT attempt, attempted_at, http_status, error, duration_ms"
                + " FROM webhook_attempts WHERE delivery_id = ?1 ORDER BY attempt", Tuple.class)
                .setParameter(1, id).getResultList();
        String status = d.get("status", String.class);
        return new WebhookDelivery(id, d.get("task_id", String.class), d.get("endpoint_id", String.class),
                d.get("url", String.class), d.get("event_type", String.class), status.toLowerCase(Locale.ROOT),
                Times.instant(d.get("created_at")), status.equals("PENDING") ? Times.instant(d.get("next_attempt_at")) : null,
                Times.instant(d.get("delivered_at")),
                attempts.stream().map(a -> new WebhookDelivery.Attempt(a.get("attempt", Number.class).intValue(),
                        Times.instant(a.get("attempted_at")),
                        a.get("http_status") == null ? null : a.get("http_status", Number.class).intValue(),
                        a.get("error", String.class), a.get("duration_ms", Number.class).longValue())).toList());
    }

    /** The envelope: {@code {"type", "timestamp", "data": <the task as GET renders it>}}. */
    private String body(String taskId, String eventType, Instant eventAt) {
        String data = tasks.findView(taskId).map(taskJson::of).orElse("null");
        return "{\"type\":\"" + eventType + "\",\"timestamp\":\""
                + DateTimeFormatter.ISO_INSTANT.format(eventAt.truncatedTo(ChronoUnit.MILLIS)) + "\",\"data\":" + data + "}";
    }

    private void update(Claimed delivery, String set) {
        database.createNativeQuery("UPDATE webhook_deliveries SET " + set
                        + " WHERE id = ?1 AND status = 'PENDING' AND attempts = ?2")
                .setParameter(1, delivery.id()).setParameter(2, delivery.attempts()).executeUpdate();
    }

    private void finish(String id, String status) {
        database.createNativeQuery("UPDATE webhook_deliveries SET status = ?2, next_attempt_at = NULL WHERE id = ?1")
                .setParameter(1, id).setParameter(2, status).executeUpdate();
    }

    private void disableEndpoint(String endpointId) {
        database.createNativeQuery("UPDATE webhook_endpoints SET enabled = false,"
                        + " disabled_reason = 'It answered 410 Gone at ' || to_char(now() AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') WHERE id = ?1")
                .setParameter(1, endpointId).executeUpdate();
        database.createNativeQuery("UPDATE webhook_deliveries SET status = 'CANCELLED', next_attempt_at = NULL"
                + " WHERE endpoint_id = ?1 AND status = 'PENDING'").setParameter(1, endpointId).executeUpdate();
    }
}
