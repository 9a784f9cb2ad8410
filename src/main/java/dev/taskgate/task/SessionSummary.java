package dev.taskgate.task;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a session cost and when it was active: its tasks' count and summed usage, the creation
 * of its first task and the last status change of any of its tasks.
 */
public record SessionSummary(String sessionId, long taskCount, long inputTokens, long outputTokens,
                             BigDecimal estimatedCost, Instant firstActivityAt, Instant lastActivityAt) {
}
