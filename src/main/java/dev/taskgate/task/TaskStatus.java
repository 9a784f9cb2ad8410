package dev.taskgate.task;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

public enum TaskStatus {
    QUEUED, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED, TIMEOUT;

    /** The statuses a task can still leave: the one definition of "unfinished". */
    public static final Set<TaskStatus> UNFINISHED = EnumSet.of(QUEUED, RUNNING, PAUSED);

    /** {@link #UNFINISHED} as an SQL condition on {@code tasks.status}. */
    public static final String UNFINISHED_SQL = UNFINISHED.stream().map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", ", "status IN (", ")"));

    /** How a message says a task has ended with this status: "Task has already ...". */
    public String ended() {
        return switch (this) {
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "been cancelled";
            case TIMEOUT -> "timed out";
            default -> throw new IllegalStateException(this + " is not terminal");
        };
    }

    public boolean isTerminal() {
        return !UNFINISHED.contains(this);
    }
}
