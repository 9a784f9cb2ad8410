package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.taskgate.events.TaskEvent;

import java.time.format.DateTimeFormatter;
import java.util.List;

/** One task event as JSON: {@code {task_id, seq, type, message, payload, timestamp}}. */
public record EventJson(
        @JsonProperty("task_id") String taskId,
        long seq,
        String type,
        String message,
        @JsonRawValue Object payload,
        String timestamp) {

    static EventJson of(TaskEvent event) {
        return new EventJson(event.taskId(), event.seq(), event.type().name(), event.message(),
                event.payload() == null ? "null" : event.payload(),
                DateTimeFormatter.ISO_INSTANT.format(event.timestamp()));
    }

    /** A page of stored events; {@code next_after} is present when more may follow. */
    public record Page(List<EventJson> events, @JsonProperty("next_after") Long nextAfter) {
    }
}
