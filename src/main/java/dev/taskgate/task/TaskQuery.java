package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;

import java.time.Instant;
import java.util.Set;

/**
 * A page request over the caller's tasks, newest first, checked once: empty {@code statuses}
 * and {@code ids} and null fields mean "any"; {@code createdAfter}/{@code createdBefore} are
 * exclusive bounds within the years 1 to 9999; at most {@value #MAX_LIMIT} ids and tasks a page.
 */
public record TaskQuery(Set<TaskStatus> statuses, String sessionId, ExecutionMode mode, Instant createdAfter,
                        Instant createdBefore, Set<String> ids, int limit, String pageToken) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public TaskQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        ids = ids == null ? Set.of() : Set.copyOf(ids);
        ids.forEach(Ids::task);
        if (ids.size() > MAX_LIMIT) {
            throw TaskgateException.invalid("ids takes at most " + MAX_LIMIT + " task ids");
        }
        sessionId = sessionId == null ? null : Ids.session(sessionId);
        checkTime("created_after", createdAfter);
        checkTime("created_before", createdBefore);
        checkLimit(limit);
        pageToken = pageToken == null || pageToken.isEmpty() ? null : pageToken;
    }

    /** A query whose limit, when not given, is {@value #DEFAULT_LIMIT}, or all the {@code ids} asked for. */
    public static TaskQuery of(Set<TaskStatus> statuses, String sessionId, ExecutionMode mode, Instant createdAfter,
                               Instant createdBefore, Set<String> ids, Integer limit, String pageToken) {
        int size = limit != null ? limit : ids != null && !ids.isEmpty() ? Math.min(ids.size(), MAX_LIMIT) : DEFAULT_LIMIT;
        return new TaskQuery(statuses, sessionId, mode, createdAfter, createdBefore, ids, size, pageToken);
    }

    public TaskQuery withSession(String session) {
        return new TaskQuery(statuses, session, mode, createdAfter, createdBefore, ids, limit, pageToken);
    }

    /** A page size: 1 to {@value #MAX_LIMIT}. */
    public static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw TaskgateException.invalid("limit must be a whole number between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static void checkTime(String name, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw TaskgateException.invalid(name + " must be between the years 1 and 9999");
        }
    }
}
