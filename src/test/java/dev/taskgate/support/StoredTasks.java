package dev.taskgate.support;

import dev.taskgate.task.ExecutionMode;
import dev.taskgate.task.Task;
import dev.taskgate.task.TaskStatus;
import dev.taskgate.task.TaskTransitions;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Task rows written straight to PostgreSQL, with no workflow behind them (tenant {@code default}). */
public final class StoredTasks {

    private StoredTasks() {
    }

    /** A SIMPLE task named {@code task_<name><unique>}, whose query and session are the name in lower case. */
    public static Task insert(String name, TaskStatus status, Instant createdAt) {
        Task task = new Task();
        task.id = "task_" + name + System.nanoTime();
        task.tenantId = "default";
        task.status = status;
        task.mode = ExecutionMode.SIMPLE;
        task.query = name.toLowerCase(Locale.ROOT);
        task.sessionId = name.toLowerCase(Locale.ROOT);
        task.timeoutSeconds = 60;
        task.createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
        task.updatedAt = task.createdAt;
        TaskTransitions transitions = Arc.container().instance(TaskTransitions.class).get();
        QuarkusTransaction.requiringNew().run(() -> transitions.insert(task));
        return task;
    }
}
