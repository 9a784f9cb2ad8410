package dev.taskgate.api;

/** Optional body of {@code POST /api/v1/tasks/{id}/cancel}. */
public record CancelTaskBody(String reason) {
}
