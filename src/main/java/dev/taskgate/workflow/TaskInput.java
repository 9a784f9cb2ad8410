package dev.taskgate.workflow;

import dev.taskgate.llm.ChatMessage;

import java.util.List;

/**
 * Everything a task's workflow decides with, read once from the task row and configuration by
 * an activity (so it is part of the workflow history and replays identically).
 */
public record TaskInput(String mode, String query, String provider, String model, List<ChatMessage> history,
                        List<String> tools, AgentLimits limits) {

    public TaskInput {
        history = history == null ? List.of() : List.copyOf(history);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** The agent's bounds and the retry policy of model calls. */
    public record AgentLimits(int maxSteps, int maxSubtasks, int subtaskConcurrency,
                              int retryMaxAttempts, long retryInitialIntervalMs, double retryBackoffCoefficient,
                              long retryMaximumIntervalMs) {
    }
}
