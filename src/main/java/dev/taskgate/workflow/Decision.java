package dev.taskgate.workflow;

import dev.taskgate.task.Approval;

/** Where an approval stands, as the workflow reads it: its status and the reviewer's feedback. */
public record Decision(Approval.Status status, String feedback) {
}
