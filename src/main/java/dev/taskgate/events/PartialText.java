package dev.taskgate.events;

import java.time.Instant;
import java.util.regex.Pattern;

/** A piece of a model call's text as announced on {@link TaskChanges#PARTIALS}: {@code <task id>|<call>|<text>}. */
record PartialText(String taskId, String call, String text) {

    private static final Pattern CALL = Pattern.compile("[A-Za-z0-9_.#-]{1,64}");

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

    private static final String CALL_PREFIX = "{\"call\":\"";

    /** The live-only event a stream passes on: seq 0, never stored; its payload names the call. */
    TaskEvent event() {
        return new TaskEvent(taskId, 0, EventType.LLM_PARTIAL, text, CALL_PREFIX + call + "\"}", Instant.now());
    }

    /** The call key of an event made by {@link #event()}. */
    static String callOf(TaskEvent piece) {
        return piece.payload().substring(CALL_PREFIX.length(), piece.payload().length() - 2);
    }
}
