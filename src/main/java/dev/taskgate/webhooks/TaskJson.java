package dev.taskgate.webhooks;

import dev.taskgate.task.TaskView;

/** The task as {@code GET /api/v1/tasks/{id}} renders it (implemented by the {@code api} package). */
public interface TaskJson {

    String of(TaskView task);
}
