package dev.taskgate.webhooks;

import dev.taskgate.events.EventType;
import dev.taskgate.task.TaskWebhooks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/**
 * The outbox: a webhook event becomes one PENDING delivery row per target — the task's own
 * {@code webhook_url} and each enabled endpoint of its tenant that wants the event — in the
 * transaction that records the event. Nothing is sent here; {@link WebhookDispatcher} sends
 * after the commit, so a rolled-back event is never announced and a committed one always is.
 */
@ApplicationScoped
public class WebhookOutbox implements TaskWebhooks {

    private final EntityManager database;
    private final WebhookUrlPolicy urls;

    public WebhookOutbox(EntityManager database, WebhookUrlPolicy urls) {
        this.database = database;
        this.urls = urls;
    }

    @Override
    public String checkedUrl(String url) {
        return urls.checked("webhook_url", url).toString();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void recorded(String taskId, EventType type) {
        Optional<WebhookEventType> event = WebhookEventType.of(type);
        if (event.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> targets = database.createNativeQuery(
                        "SELECT CAST(NULL AS varchar), t.webhook_url, t.tenant_id FROM tasks t"
                                + " WHERE t.id = ?1 AND t.webhook_url IS NOT NULL"
                                + " UNION ALL SELECT e.id, e.url, e.tenant_id FROM webhook_endpoints e"
                                + " JOIN tasks t ON t.tenant_id = e.tenant_id WHERE t.id = ?1 AND e.enabled"
                                + " AND position(',' || ?2 || ',' IN ',' || e.event_types || ',') > 0")
                .setParameter(1, taskId).setParameter(2, event.get().wireName()).getResultList();
        for (Object[] target : targets) {
            database.createNativeQuery("INSERT INTO webhook_deliveries (id, task_id, tenant_id, for_task, endpoint_id, url,"
                            + " event_type, event_at, status, next_attempt_at, created_at)"
                            + " VALUES (?1, ?2, ?3, ?4, CAST(?5 AS varchar), ?6, ?7, clock_timestamp(), 'PENDING', now(), now())")
                    .setParameter(1, WebhookIds.newDelivery()).setParameter(2, taskId).setParameter(3, target[2])
                    .setParameter(4, target[0] == null).setParameter(5, target[0]).setParameter(6, target[1])
                    .setParameter(7, event.get().wireName()).executeUpdate();
        }
    }
}
