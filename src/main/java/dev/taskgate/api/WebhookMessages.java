package dev.taskgate.api;

import dev.taskgate.proto.v1.ListWebhookDeliveriesResponse;
import dev.taskgate.proto.v1.ListWebhookEndpointsResponse;
import dev.taskgate.proto.v1.WebhookAttempt;
import dev.taskgate.proto.v1.WebhookSecret;
import dev.taskgate.webhooks.WebhookDelivery;
import dev.taskgate.webhooks.WebhookEndpoint;

import java.util.List;

/** The webhook answers of the API as their {@code taskgate.v1} messages (rendered for REST by {@link RestJson}). */
public final class WebhookMessages {

    private WebhookMessages() {
    }

    public static dev.taskgate.proto.v1.WebhookEndpoint endpoint(WebhookEndpoint endpoint) {
        var message = dev.taskgate.proto.v1.WebhookEndpoint.newBuilder()
                .setId(endpoint.id())
                .setUrl(endpoint.url())
                .addAllEventTypes(endpoint.eventTypes())
                .setEnabled(endpoint.enabled())
                .setDisabledReason(endpoint.disabledReason())
                .setCreatedAt(ApiValues.timestamp(endpoint.createdAt()));
        if (endpoint.secret() != null) {
            message.setSecret(endpoint.secret());
        }
        return message.build();
    }

    public static ListWebhookEndpointsResponse endpoints(List<WebhookEndpoint> endpoints) {
        return ListWebhookEndpointsResponse.newBuilder()
                .addAllWebhooks(endpoints.stream().map(WebhookMessages::endpoint).toList()).build();
    }

    public static WebhookSecret secret(String secret) {
        return WebhookSecret.newBuilder().setSecret(secret).build();
    }

    public static dev.taskgate.proto.v1.WebhookDelivery delivery(WebhookDelivery delivery) {
        var message = dev.taskgate.proto.v1.WebhookDelivery.newBuilder()
                .setId(delivery.id())
                .setTaskId(delivery.taskId())
                .setUrl(delivery.url())
                .setEventType(delivery.eventType())
                .setStatus(delivery.status())
                .setCreatedAt(ApiValues.timestamp(delivery.createdAt()));
        if (delivery.endpointId() != null) {
            message.setEndpointId(delivery.endpointId());
        }
        if (delivery.nextAttemptAt() != null) {
            message.setNextAttemptAt(ApiValues.timestamp(delivery.nextAttemptAt()));
        }
        if (delivery.deliveredAt() != null) {
            message.setDeliveredAt(ApiValues.timestamp(delivery.deliveredAt()));
        }
        for (WebhookDelivery.Attempt attempt : delivery.attempts()) {
            var built = WebhookAttempt.newBuilder().setAttempt(attempt.attempt())
                    .setAttemptedAt(ApiValues.timestamp(attempt.attemptedAt()))
                    .setError(attempt.error()).setDurationMs(attempt.durationMillis());
            if (attempt.httpStatus() != null) {
                built.setHttpStatus(attempt.httpStatus());
            }
            message.addAttempts(built);
        }
        return message.build();
    }

    public static ListWebhookDeliveriesResponse deliveries(List<WebhookDelivery> deliveries) {
        return ListWebhookDeliveriesResponse.newBuilder()
                .addAllDeliveries(deliveries.stream().map(WebhookMessages::delivery).toList()).build();
    }
}
