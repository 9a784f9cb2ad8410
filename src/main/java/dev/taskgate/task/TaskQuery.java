package dev.taskgate.task;

import java.time.Instant;
import java.util.Set;

/**
 * A page request over the caller's tasks, newest first. Empty {@code statuses} and {@code ids}
 * and null fields mean "any"; {@code createdAfter}/{@code createdBefore} are exclusive bounds.
 */
public record TaskQuery(Set<TaskStatus> statuses, String sessionId, ExecutionMode mode,
                        Instant createdAfter, Instant createdBefore, int limit, String pageToken, Set<String> ids) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public TaskQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        ids = ids == null ? Set.of() : Set.copyOf(ids);
    }

    public TaskQuery withSession(String session) {
        return new TaskQuery(statuses, session, mode, createdAfter, createdBefore, limit, pageToken, ids);
    }
}
