package dev.taskgate.workflow;

import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatResponse;

import java.math.BigDecimal;

/**
 * What one model call returned, as recorded in the workflow history: the answer, the key of the
 * attempt that produced it (run, activity and attempt; it makes recording its usage idempotent),
 * why it was made, and its cost.
 */
public record ModelReply(String callKey, CallPurpose purpose, ChatResponse response, BigDecimal cost) {
}
