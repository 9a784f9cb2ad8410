package dev.taskgate.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Body of {@code POST /api/v1/webhooks}, as sent: the URL and the event types it wants (all when absent). */
public record WebhookBody(String url, @JsonProperty("event_types") List<String> eventTypes) {
}
