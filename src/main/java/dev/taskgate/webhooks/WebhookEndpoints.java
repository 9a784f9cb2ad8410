package dev.taskgate.webhooks;

import dev.taskgate.error.TaskgateException;
import dev.taskgate.task.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * A tenant's webhook endpoints (create, list, delete, rotate) and its task secret. Each endpoint
 * is the tenant's alone: another tenant's endpoint is NOT_FOUND like a missing one. Deleting an
 * endpoint cancels its pending deliveries; their history stays with the task.
 */
@ApplicationScoped
@Transactional
public class WebhookEndpoints {

    private static final Logger LOG = Logger.getLogger(WebhookEndpoints.class);
    private static final int MAX_ENDPOINTS = 50;
    private static final String COLUMNS = "id, url, event_types, enabled, disabled_reason, created_at";

    private final EntityManager database;
    private final WebhookUrlPolicy urls;
    private final SigningKeys keys;

    public WebhookEndpoints(EntityManager database, WebhookUrlPolicy urls, SigningKeys keys) {
        this.database = database;
        this.urls = urls;
        this.keys = keys;
    }

    /** A new endpoint for the event types named (all when none), with its secret, shown this once. */
    public WebhookEndpoint create(String tenantId, String url, List<String> eventTypes) {
        String checkedUrl = urls.checked("url", url == null ? null : Texts.checked("url", url.strip(),
                WebhookUrlPolicy.MAX_URL_CHARS)).toString();
        Set<WebhookEventType> types = WebhookEventType.named(eventTypes);
        long existing = ((Number) database.createNativeQuery("SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ?1")
                .setParameter(1, tenantId).getSingleResult()).longValue();
        if (existing >= MAX_ENDPOINTS) {
            throw TaskgateException.invalid("A tenant may have at most " + MAX_ENDPOINTS + " webhook endpoints");
        }
        SigningKeys.Fresh secret = keys.fresh();
        String id = WebhookIds.newEndpoint();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        database.createNativeQuery("INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret, created_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, id).setParameter(2, tenantId).setParameter(3, checkedUrl)
                .setParameter(4, WebhookEventType.wireNames(types)).setParameter(5, secret.sealed())
                .setParameter(6, now.atOffset(ZoneOffset.UTC)).executeUpdate();
        LOG.infof("webhook endpoint %s created tenant=%s events=%s", id, tenantId, WebhookEventType.wireNames(types));
        return new WebhookEndpoint(id, checkedUrl, types.stream().map(WebhookEventType::wireName).toList(), true, "",
                now, secret.secret());
    }

    /** The tenant's endpoints, oldest first, without secrets. */
    public List<WebhookEndpoint> list(String tenantId) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = database.createNativeQuery("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = ?1"
                + " ORDER BY created_at, id", Tuple.class).setParameter(1, tenantId).getResultList();
        return rows.stream().map(row -> endpoint(row, null)).toList();
    }

    /** Deletes the tenant's endpoint and cancels its pending deliveries. */
    public void delete(String tenantId, String endpointId) {
        String id = WebhookIds.endpoint(endpointId);
        database.createNativeQuery("UPDATE webhook_deliveries SET status = 'CANCELLED', next_attempt_at = NULL"
                        + " WHERE endpoint_id = ?1 AND tenant_id = ?2 AND status = 'PENDING'")
                .setParameter(1, id).setParameter(2, tenantId).executeUpdate();
        if (database.createNativeQuery("DELETE FROM webhook_endpoints WHERE id = ?1 AND tenant_id = ?2")
                .setParameter(1, id).setParameter(2, tenantId).executeUpdate() == 0) {
            throw WebhookIds.endpointNotFound();
        }
        LOG.infof("webhook endpoint %s deleted tenant=%s", id, tenantId);
    }

    /** A new secret for the endpoint, shown this once; the previous one signs too until the grace period ends. */
    public WebhookEndpoint rotate(String tenantId, String endpointId) {
        String id = WebhookIds.endpoint(endpointId);
        String secret = keys.rotateEndpointSecret(tenantId, id);
        if (secret == null) {
            throw WebhookIds.endpointNotFound();
        }
        LOG.infof("webhook endpoint %s secret rotated tenant=%s", id, tenantId);
        Tuple row = (Tuple) database.createNativeQuery("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = ?1",
                Tuple.class).setParameter(1, id).getSingleResult();
        return endpoint(row, secret);
    }

    /** A new secret for the tenant's tasks' own webhook_url, shown this once (the previous one signs during the grace period). */
    public String rotateTaskSecret(String tenantId) {
        String secret = keys.rotateTaskSecret(tenantId);
        LOG.infof("task webhook secret rotated tenant=%s", tenantId);
        return secret;
    }

    private static WebhookEndpoint endpoint(Tuple row, String secret) {
        String reason = row.get("disabled_reason", String.class);
        return new WebhookEndpoint(row.get("id", String.class), row.get("url", String.class),
                WebhookEventType.parse(row.get("event_types", String.class)), row.get("enabled", Boolean.class),
                reason == null ? "" : reason, Times.instant(row.get("created_at")), secret);
    }
}
