package dev.taskgate.task;

/** A page request over the caller's sessions, the most recently started first. */
public record SessionQuery(int limit, String pageToken) {

    public SessionQuery {
        TaskQuery.checkLimit(limit);
        pageToken = pageToken == null || pageToken.isEmpty() ? null : pageToken;
    }

    public static SessionQuery of(Integer limit, String pageToken) {
        return new SessionQuery(limit == null ? TaskQuery.DEFAULT_LIMIT : limit, pageToken);
    }
}
