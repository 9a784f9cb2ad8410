package dev.taskgate.task;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

public enum TaskStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT;

    /** The statuses a task can still leave: the one definition of "unfinished". */
    public static final Set<TaskStatus> UNFINISHED = EnumSet.of(QUEUED, RUNNING);

    /** {@link #UNFINISHED} as an SQL condition on {@code tasks.status}. */
    public static final String UNFINISHED_SQL = UNFINISHED.stream().map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", ", "status IN (", ")"));

    public boolean isTerminal() {
        return !UNFINISHED.contains(this);
    }
}
