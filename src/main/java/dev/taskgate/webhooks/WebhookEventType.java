package dev.taskgate.webhooks;

import dev.taskgate.error.TaskgateException;
import dev.taskgate.events.EventType;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The events a webhook can announce, by their names on the wire ({@code task.completed}, ...). */
public enum WebhookEventType {
    COMPLETED("task.completed", EventType.TASK_COMPLETED),
    FAILED("task.failed", EventType.TASK_FAILED),
    CANCELLED("task.cancelled", EventType.TASK_CANCELLED),
    TIMEOUT("task.timeout", EventType.TASK_TIMEOUT),
    PAUSED("task.paused", EventType.TASK_PAUSED),
    APPROVAL_REQUESTED("task.approval_requested", EventType.APPROVAL_REQUESTED);

    private final String wireName;
    private final EventType event;

    WebhookEventType(String wireName, EventType event) {
        this.wireName = wireName;
        this.event = event;
    }

    public String wireName() {
        return wireName;
    }

    /** The webhook event of a task event; empty for the types no webhook announces. */
    public static Optional<WebhookEventType> of(EventType event) {
        return Arrays.stream(values()).filter(type -> type.event == event).findFirst();
    }

    /** The types named (every type when none is named), in their order here; INVALID_ARGUMENT for an unknown name. */
    public static Set<WebhookEventType> named(Collection<String> names) {
        if (names == null || names.isEmpty()) {
            return new LinkedHashSet<>(List.of(values()));
        }
        Set<WebhookEventType> types = new LinkedHashSet<>();
        for (String name : names) {
            types.add(Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst()
                    .orElseThrow(() -> TaskgateException.invalid("Unknown event type '" + abbreviate(name)
                            + "' in event_types: expected some of " + wireNames(List.of(values())))));
        }
        return types;
    }

    /** The stored form: wire names, comma-separated. */
    static String wireNames(Collection<WebhookEventType> types) {
        return types.stream().map(WebhookEventType::wireName).collect(Collectors.joining(","));
    }

    static List<String> parse(String stored) {
        return List.of(stored.split(","));
    }

    private static String abbreviate(String name) {
        if (name == null) {
            return "null";
        }
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }
}
