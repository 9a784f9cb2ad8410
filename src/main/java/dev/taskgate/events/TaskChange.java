package dev.taskgate.events;

/**
 * One announced change: a task and its new status name ({@code QUEUED}, {@code RUNNING}, ...),
 * or a null status when the change is unknown (after a reconnection: re-read the task), and
 * when this process heard of it ({@link System#nanoTime()}): a read begun later sees the change.
 */
public record TaskChange(String taskId, String status, long receivedAt) {

    public TaskChange(String taskId, String status) {
        this(taskId, status, System.nanoTime());
    }

    private static final char SEPARATOR = '|';

    /** The NOTIFY payload of a change. */
    public String payload() {
        return status == null ? taskId : taskId + SEPARATOR + status;
    }

    static TaskChange parse(String payload) {
        if (payload == null || payload.isEmpty()) {
            return null;
        }
        int at = payload.indexOf(SEPARATOR);
        return at < 0 ? new TaskChange(payload, null)
                : new TaskChange(payload.substring(0, at), payload.substring(at + 1));
    }
}
