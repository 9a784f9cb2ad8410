package dev.taskgate.idempotency;

/**
 * What was remembered for an {@code Idempotency-Key}: the operation and request it was first
 * used with, and (once done) the answer: status code, task id and, where needed, a recorded body.
 */
public record IdempotencyRecord(String operation, String requestHash, boolean done, Integer statusCode,
                                String taskId, String response) {

    public boolean matches(String operation, String requestHash) {
        return this.operation.equals(operation) && this.requestHash.equals(requestHash);
    }
}
