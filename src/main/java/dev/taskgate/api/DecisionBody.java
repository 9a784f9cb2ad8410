package dev.taskgate.api;

/** Body of {@code POST /api/v1/tasks/{id}/approvals/{approval_id}}: {@code approved} is required. */
public record DecisionBody(Boolean approved, String feedback) {
}
