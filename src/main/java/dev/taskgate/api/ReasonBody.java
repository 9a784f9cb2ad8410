package dev.taskgate.api;

/** Optional body of {@code POST /api/v1/tasks/{id}/cancel}, {@code /pause} and {@code /resume}. */
public record ReasonBody(String reason) {
}
