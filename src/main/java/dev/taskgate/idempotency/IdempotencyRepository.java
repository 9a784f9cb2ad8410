package dev.taskgate.idempotency;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Rows of {@code idempotency_keys}. Claims are single {@code INSERT ... ON CONFLICT} statements:
 * the primary key (tenant, key) decides which of several concurrent requests owns a key, and a
 * concurrent claimer waits for the owner's transaction before it sees the owner's row.
 * Callers provide the transaction.
 */
@ApplicationScoped
public class IdempotencyRepository {

    private static final String CLAIM = """
            insert into idempotency_keys (tenant_id, idem_key, operation, request_hash, state, status_code,
                                          task_id, response, created_at, expires_at)
            values (:tenant, :key, :operation, :hash, :state, :status, :task, null, now(),
                    now() + :ttl * interval '1 second')
            on conflict (tenant_id, idem_key) do update
               set operation = excluded.operation, request_hash = excluded.request_hash, state = excluded.state,
                   status_code = excluded.status_code, task_id = excluded.task_id, response = null,
                   created_at = excluded.created_at, expires_at = excluded.expires_at
             where idempotency_keys.expires_at <= now()
            returning tenant_id
            """;

    private final EntityManager em;

    public IdempotencyRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Takes the key for this request (a new key, or one whose previous use expired); false when
     * a live row already holds it. With {@code done} the answer (status, task) is recorded at once.
     */
    public boolean claim(String tenant, String key, String operation, String hash, boolean done,
                         int statusCode, String taskId, Duration ttl) {
        List<?> claimed = em.createNativeQuery(CLAIM)
                .setParameter("tenant", tenant).setParameter("key", key)
                .setParameter("operation", operation).setParameter("hash", hash)
                .setParameter("state", done ? "done" : "pending")
                .setParameter("status", statusCode).setParameter("task", taskId)
                .setParameter("ttl", ttl.toSeconds())
                .getResultList();
        return !claimed.isEmpty();
    }

    public Optional<IdempotencyRecord> find(String tenant, String key) {
        List<?> rows = em.createNativeQuery("""
                        select operation, request_hash, state, status_code, task_id, response
                          from idempotency_keys where tenant_id = :tenant and idem_key = :key""")
                .setParameter("tenant", tenant).setParameter("key", key)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new IdempotencyRecord((String) row[0], ((String) row[1]).strip(), "done".equals(row[2]),
                row[3] == null ? null : ((Number) row[3]).intValue(), (String) row[4], (String) row[5]));
    }

    public void complete(String tenant, String key, int statusCode, String taskId, String response) {
        em.createNativeQuery("""
                        update idempotency_keys set state = 'done', status_code = :status, task_id = :task,
                               response = :response where tenant_id = :tenant and idem_key = :key""")
                .setParameter("status", statusCode).setParameter("task", taskId).setParameter("response", response)
                .setParameter("tenant", tenant).setParameter("key", key)
                .executeUpdate();
    }

    public void release(String tenant, String key) {
        em.createNativeQuery("delete from idempotency_keys where tenant_id = :tenant and idem_key = :key and state = 'pending'")
                .setParameter("tenant", tenant).setParameter("key", key)
                .executeUpdate();
    }

    public int deleteExpired() {
        return em.createNativeQuery("delete from idempotency_keys where expires_at <= now()").executeUpdate();
    }
}
