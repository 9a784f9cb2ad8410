package dev.taskgate.tools;

import java.time.Instant;

/** The task a tool runs for. */
public record ToolContext(String taskId, String tenantId, String sessionId, Instant taskCreatedAt) {
}
