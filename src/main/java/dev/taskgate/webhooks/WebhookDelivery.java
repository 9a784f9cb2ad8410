package dev.taskgate.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * One event sent to one URL, with its attempts, as the API shows it.
 *
 * @param endpointId    null for the task's own webhook_url, and once the endpoint was deleted
 * @param status        pending, delivered, failed or cancelled
 * @param nextAttemptAt null unless pending
 */
public record WebhookDelivery(String id, String taskId, String endpointId, String url, String eventType, String status,
                              Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, List<Attempt> attempts) {

    public WebhookDelivery {
        attempts = List.copyOf(attempts);
    }

    /** @param httpStatus null when no answer came; {@code error} is empty on success */
    public record Attempt(int attempt, Instant attemptedAt, Integer httpStatus, String error, long durationMillis) {
    }
}
