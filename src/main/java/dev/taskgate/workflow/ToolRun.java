package dev.taskgate.workflow;

import dev.taskgate.llm.ToolCall;

import java.time.Instant;

/** One tool call of the model, with the task it runs for. */
public record ToolRun(String taskId, String tenantId, String sessionId, Instant taskCreatedAt, ToolCall call) {
}
