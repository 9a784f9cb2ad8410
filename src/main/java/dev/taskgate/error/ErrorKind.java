package dev.taskgate.error;

/** The kinds of failure a caller can see; REST and gRPC each map them once. */
public enum ErrorKind {
    INVALID_ARGUMENT,
    UNAUTHENTICATED,
    NOT_FOUND,
    CONFLICT,
    /** Well-formed but contradicting an earlier request (an Idempotency-Key reused for another request). */
    UNPROCESSABLE,
    /** Over the caller's rate limit. */
    RATE_LIMITED,
    TOO_LARGE,
    UNAVAILABLE,
    INTERNAL
}
