package dev.taskgate.error;

/** The kinds of failure a caller can see; REST and gRPC each map them once. */
public enum ErrorKind {
    INVALID_ARGUMENT,
    UNAUTHENTICATED,
    NOT_FOUND,
    CONFLICT,
    TOO_LARGE,
    UNAVAILABLE,
    INTERNAL
}
