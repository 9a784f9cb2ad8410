package dev.taskgate.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's endpoint as the API shows it.
 *
 * @param secret the signing secret: only in the answer of a create or a rotation, null otherwise
 */
public record WebhookEndpoint(String id, String url, List<String> eventTypes, boolean enabled, String disabledReason,
                              Instant createdAt, String secret) {

    public WebhookEndpoint {
        eventTypes = List.copyOf(eventTypes);
    }
}
