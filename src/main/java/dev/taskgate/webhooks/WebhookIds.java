package dev.taskgate.webhooks;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;

import java.util.regex.Pattern;

/** Ids of endpoints ({@code ep_}) and deliveries ({@code msg_}, the {@code webhook-id}); ULIDs, so they sort by creation. */
final class WebhookIds {

    private static final Pattern ENDPOINT = Pattern.compile("ep_[0-9A-Z]{26}");
    private static final Pattern DELIVERY = Pattern.compile("msg_[0-9A-Z]{26}");

    private WebhookIds() {
    }

    static String newEndpoint() {
        return "ep_" + UlidCreator.getMonotonicUlid();
    }

    static String newDelivery() {
        return "msg_" + UlidCreator.getMonotonicUlid();
    }

    /** The id if it can name an endpoint; NOT_FOUND otherwise, like an endpoint that does not exist. */
    static String endpoint(String id) {
        if (id == null || !ENDPOINT.matcher(id).matches()) {
            throw endpointNotFound();
        }
        return id;
    }

    static String delivery(String id) {
        if (id == null || !DELIVERY.matcher(id).matches()) {
            throw deliveryNotFound();
        }
        return id;
    }

    static TaskgateException endpointNotFound() {
        return new TaskgateException(ErrorKind.NOT_FOUND, "Webhook endpoint not found");
    }

    static TaskgateException deliveryNotFound() {
        return new TaskgateException(ErrorKind.NOT_FOUND, "Webhook delivery not found");
    }
}
