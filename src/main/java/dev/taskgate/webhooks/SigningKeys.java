package dev.taskgate.webhooks;

import dev.taskgate.config.TaskgateConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored signing secrets, encrypted by {@link SecretBox}: an endpoint's, and each tenant's
 * secret for its tasks' own {@code webhook_url}. A rotation keeps the previous secret signing for
 * {@code taskgate.webhooks.rotation-grace}; the new secret is returned once and never again.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SigningKeys {

    private static final String CURRENT_AND_VALID_PREVIOUS = "SELECT secret,"
            + " CASE WHEN previous_secret_expires_at > now() THEN previous_secret END FROM ";

    private final EntityManager database;
    private final SecretBox box;
    private final TaskgateConfig.Webhooks config;

    public SigningKeys(EntityManager database, SecretBox box, TaskgateConfig.Webhooks config) {
        this.database = database;
        this.box = box;
        this.config = config;
    }

    /** A new secret: the key bytes sealed for storage, and the {@code whsec_} text to show once. */
    record Fresh(byte[] sealed, String secret) {
    }

    Fresh fresh() {
        byte[] key = WebhookSignature.newKey();
        return new Fresh(box.seal(key), WebhookSignature.secret(key));
    }

    /** Replaces the tenant's task secret (creating it the first time); returns the new one. */
    String rotateTaskSecret(String tenantId) {
        Fresh fresh = fresh();
        database.createNativeQuery("INSERT INTO webhook_task_secrets (tenant_id, secret, rotated_at) VALUES (?1, ?2, now())"
                        + " ON CONFLICT (tenant_id) DO UPDATE SET previous_secret = webhook_task_secrets.secret,"
                        + " previous_secret_expires_at = now() + CAST(?3 AS double precision) * interval '1 millisecond', secret = excluded.secret,"
                        + " rotated_at = now()")
                .setParameter(1, tenantId).setParameter(2, fresh.sealed()).setParameter(3, config.rotationGrace().toMillis())
                .executeUpdate();
        return fresh.secret();
    }

    /** Replaces an endpoint's secret; returns the new one, or null when the tenant has no such endpoint. */
    String rotateEndpointSecret(String tenantId, String endpointId) {
        Fresh fresh = fresh();
        int changed = database.createNativeQuery("UPDATE webhook_endpoints SET previous_secret = secret,"
                        + " previous_secret_expires_at = now() + CAST(?3 AS double precision) * interval '1 millisecond', secret = ?4"
                        + " WHERE id = ?1 AND tenant_id = ?2")
                .setParameter(1, endpointId).setParameter(2, tenantId).setParameter(3, config.rotationGrace().toMillis())
                .setParameter(4, fresh.sealed()).executeUpdate();
        return changed == 0 ? null : fresh.secret();
    }

    /** The keys that sign an endpoint's deliveries now, current first. */
    List<byte[]> forEndpoint(String endpointId) {
        return keys(database.createNativeQuery(CURRENT_AND_VALID_PREVIOUS + "webhook_endpoints WHERE id = ?1")
                .setParameter(1, endpointId).getResultList());
    }

    /** The keys that sign deliveries to the tenant's tasks' own URLs now, current first (created when missing). */
    List<byte[]> forTasks(String tenantId) {
        database.createNativeQuery("INSERT INTO webhook_task_secrets (tenant_id, secret, rotated_at) VALUES (?1, ?2, now())"
                + " ON CONFLICT (tenant_id) DO NOTHING").setParameter(1, tenantId).setParameter(2, fresh().sealed())
                .executeUpdate();
        return keys(database.createNativeQuery(CURRENT_AND_VALID_PREVIOUS + "webhook_task_secrets WHERE tenant_id = ?1")
                .setParameter(1, tenantId).getResultList());
    }

    private List<byte[]> keys(List<?> rows) {
        List<byte[]> keys = new ArrayList<>(2);
        if (!rows.isEmpty()) {
            Object[] row = (Object[]) rows.get(0);
            keys.add(box.open((byte[]) row[0]));
            if (row[1] != null) {
                keys.add(box.open((byte[]) row[1]));
            }
        }
        return keys;
    }
}
