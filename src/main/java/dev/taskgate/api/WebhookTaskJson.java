package dev.taskgate.api;

import dev.taskgate.task.TaskView;
import dev.taskgate.webhooks.TaskJson;
import jakarta.enterprise.context.ApplicationScoped;

/** A webhook's {@code data}: the task exactly as {@code GET /api/v1/tasks/{id}} renders it. */
@ApplicationScoped
public class WebhookTaskJson implements TaskJson {

    @Override
    public String of(TaskView task) {
        return RestJson.text(TaskMessages.task(task));
    }
}
