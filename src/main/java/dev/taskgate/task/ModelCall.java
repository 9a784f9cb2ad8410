package dev.taskgate.task;

import java.math.BigDecimal;

/**
 * One model call of a task, as recorded in {@code model_calls}. {@code callKey} identifies the
 * call attempt (activity id and attempt), so recording it twice records it once.
 */
public record ModelCall(String taskId, String callKey, String purpose, String provider, String model,
                        long inputTokens, long outputTokens, BigDecimal cost) {
}
