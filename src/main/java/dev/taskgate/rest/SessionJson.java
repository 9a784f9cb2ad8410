package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskgate.proto.v1.Session;

/** One session: its task count, summed usage and cost, and first and last activity (RFC 3339). */
public record SessionJson(
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("task_count") long taskCount,
        TaskJson.UsageJson usage,
        @JsonProperty("first_activity_at") String firstActivityAt,
        @JsonProperty("last_activity_at") String lastActivityAt) {

    static SessionJson of(Session session) {
        return new SessionJson(session.getSessionId(), session.getTaskCount(),
                new TaskJson.UsageJson(session.getUsage().getTotalTokens(), session.getUsage().getInputTokens(),
                        session.getUsage().getOutputTokens(), session.getUsage().getEstimatedCost()),
                TaskJson.rfc3339(session.getFirstActivityAt()), TaskJson.rfc3339(session.getLastActivityAt()));
    }
}
