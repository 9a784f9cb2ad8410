package dev.taskgate.events;

import java.time.Instant;

/** One stored event of a task; {@code payload} is a JSON object as text, or null. */
public record TaskEvent(String taskId, long seq, EventType type, String message, String payload, Instant timestamp) {
}
