package dev.taskgate.workflow;

import dev.taskgate.task.TaskStatus;

/** A run's start: what the task asks for, and its status then (RUNNING, or PAUSED when a pause came first). */
public record TaskStart(TaskInput input, TaskStatus status) {
}
