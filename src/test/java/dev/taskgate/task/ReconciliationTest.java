package dev.taskgate.task;

import dev.taskgate.support.Api;
import dev.taskgate.support.StoredTasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tasks whose workflow closed or vanished behind PostgreSQL's back reach their true terminal status. */
@QuarkusTest
class ReconciliationTest {

    @Inject
    WorkflowClient temporal;

    @Inject
    TaskRepository tasks;

    private Task storedTask(TaskStatus status) {
        return StoredTasks.insert(tasks, "RECONCILE", status, Instant.now().minusSeconds(60));
    }

    @Test
    void terminatedWorkflowMakesTheTaskFailed() {
        String id = submit(Map.of("query", "long", "context", simulate(Map.of("delay_ms", 60_000))));
        awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        temporal.newUntypedWorkflowStub(id).terminate("operator");

        JsonPath failed = awaitStatus(id, "TASK_STATUS_FAILED", Duration.ofSeconds(15));
        assertEquals("Task interrupted: its workflow was terminated", failed.getString("error"));
    }

    @Test
    void runningTaskWhoseWorkflowIsGoneIsFailedOnGet() {
        Task orphan = storedTask(TaskStatus.RUNNING);
        JsonPath task = Api.get(orphan.id);
        assertEquals("TASK_STATUS_FAILED", task.getString("status"));
        assertEquals("Task interrupted: its workflow no longer exists (the Temporal server lost it, e.g. in a restart)",
                task.getString("error"));
    }

    @Test
    void queuedTaskWithoutAWorkflowIsStartedByTheReconciler() {
        Task queued = storedTask(TaskStatus.QUEUED);
        JsonPath done = awaitStatus(queued.id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        assertEquals("local", done.getString("provider"));
    }
}
