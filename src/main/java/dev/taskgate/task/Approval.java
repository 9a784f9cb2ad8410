package dev.taskgate.task;

import java.time.Instant;

/**
 * A tool call that waits for a person's decision before it runs, as clients see it. Immutable.
 *
 * @param arguments the call's arguments as the model wrote them (JSON text)
 * @param feedback  the reviewer's feedback with the decision, or null
 * @param decidedAt null while pending
 */
public record Approval(String id, String taskId, String tool, String arguments, Status status, String feedback,
                       Instant requestedAt, Instant decidedAt) {

    public enum Status {
        PENDING, APPROVED, REFUSED,
        /** The task ended, or ran again from its stored input, before a decision. */
        EXPIRED
    }
}
