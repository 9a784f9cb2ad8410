package dev.taskgate.webhooks;

import dev.taskgate.task.TaskReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import java.util.List;

/** What the API shows of deliveries: a task's deliveries with their attempts, and a re-send. */
@ApplicationScoped
@ActivateRequestContext
public class WebhookDeliveries {

    private final TaskReads tasks;
    private final DeliveryStore store;
    private final WebhookDispatcher dispatcher;

    public WebhookDeliveries(TaskReads tasks, DeliveryStore store, WebhookDispatcher dispatcher) {
        this.tasks = tasks;
        this.store = store;
        this.dispatcher = dispatcher;
    }

    /** The caller's task's deliveries, oldest first; NOT_FOUND like the task itself for another tenant. */
    public List<WebhookDelivery> ofTask(String tenantId, String taskId) {
        tasks.find(tenantId, taskId);
        return store.forTask(tenantId, taskId);
    }

    /** Sends the caller's delivery again (same webhook-id and body), with the retry schedule started over. */
    public WebhookDelivery resend(String tenantId, String deliveryId) {
        WebhookDelivery delivery = store.resend(tenantId, WebhookIds.delivery(deliveryId));
        dispatcher.wake();
        return delivery;
    }
}
