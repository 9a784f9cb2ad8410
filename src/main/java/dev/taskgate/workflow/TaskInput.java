package dev.taskgate.workflow;

import dev.taskgate.llm.ChatMessage;
import dev.taskgate.task.ToolNames;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a task's workflow decides with, read once from the task row and configuration by
 * an activity, so it is part of the workflow history and replays identically.
 *
 * @param modelContext           what the model reads of the task's {@code context} (the local
 *                               model's {@code simulate} switches); empty otherwise
 * @param requireApproval        tool names (or "*") whose calls wait for a decision
 * @param approvalTimeoutSeconds the longest the task waits for a person (a decision or a resume)
 */
public record TaskInput(String mode, String query, String provider, String model, List<ChatMessage> history,
                        List<String> tools, AgentLimits limits, String tenantId, String sessionId,
                        Instant createdAt, Map<String, Object> modelContext, List<String> requireApproval,
                        long approvalTimeoutSeconds) {

    public TaskInput {
        history = history == null ? List.of() : List.copyOf(history);
        tools = tools == null ? List.of() : List.copyOf(tools);
        modelContext = modelContext == null ? Map.of() : modelContext;
        requireApproval = requireApproval == null ? List.of() : List.copyOf(requireApproval);
    }

    /** Whether a call of this tool waits for a person's decision. */
    public boolean needsApproval(String tool) {
        return ToolNames.requireApproval(requireApproval, tool);
    }

    /**
     * The agent's bounds and the limits of its model calls: retries of transient failures, the
     * longest single attempt, and how long an attempt may go without a heartbeat before Temporal
     * gives it to another worker.
     */
    public record AgentLimits(int maxSteps, int maxSubtasks, int subtaskConcurrency,
                              int retryMaxAttempts, long retryInitialIntervalMs, double retryBackoffCoefficient,
                              long retryMaximumIntervalMs, long callTimeoutMs, long heartbeatTimeoutMs) {
    }
}
