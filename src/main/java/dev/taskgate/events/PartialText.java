package dev.taskgate.events;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A piece of a model call's text as announced on {@link TaskChanges#PARTIALS}:
 * {@code <task id>|<call>|<text>}, where {@code call} is the call's unique key (its
 * {@code LLM_OUTPUT} payload names it too).
 */
public record PartialText(String taskId, String call, String text) {

    private static final Pattern CALL = Pattern.compile("[A-Za-z0-9_.#/-]{1,128}");

    String payload() {
        return taskId + '|' + call + '|' + text;
    }

    static PartialText parse(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split("\\|", 3);
        if (parts.length != 3 || parts[0].isEmpty() || !CALL.matcher(parts[1]).matches()) {
            return null;
        }
        return new PartialText(parts[0], parts[1], parts[2]);
    }

    /** The live-only event a stream passes on: seq 0, never stored; its payload names the call. */
    TaskEvent event() {
        return new TaskEvent(taskId, 0, EventType.LLM_PARTIAL, text, "{\"call\":\"" + call + "\"}", Instant.now());
    }

    /** Whether this piece belongs to the call of an {@code LLM_OUTPUT} event with this payload. */
    boolean sameCallAs(String outputPayload) {
        return outputPayload.contains('"' + call + '"');
    }
}
