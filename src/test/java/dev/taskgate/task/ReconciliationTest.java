package dev.taskgate.task;

import dev.taskgate.support.Api;
import dev.taskgate.support.StoredTasks;
import dev.taskgate.workflow.TaskRun;
import dev.taskgate.workflow.TaskWorkflow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks whose workflow closed, vanished or stalled behind PostgreSQL's back reach their true
 * terminal status: closed workflows give it, lost ones are run again from the stored task.
 */
@QuarkusTest
class ReconciliationTest {

    @Inject
    WorkflowClient temporal;

    private Task storedTask(TaskStatus status, Duration age) {
        return StoredTasks.insert("RECONCILE", status, Instant.now().minus(age));
    }

    private static List<String> eventTypes(String id) {
        return Api.authed().get("/api/v1/tasks/" + id + "/events").then().statusCode(200).extract().path("events.type");
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
    void runningTaskWhoseWorkflowIsGoneRunsAgainFromItsStoredInput() {
        Task orphan = storedTask(TaskStatus.RUNNING, Duration.ofSeconds(5));
        JsonPath done = awaitStatus(orphan.id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        assertEquals("local", done.getString("provider"));
        List<String> types = eventTypes(orphan.id);
        assertEquals(List.of("TASK_QUEUED", "TASK_RESTARTED", "LLM_OUTPUT", "TASK_COMPLETED"), types);
        String why = Api.authed().get("/api/v1/tasks/" + orphan.id + "/events").then().extract().path("events[1].message");
        assertTrue(why.startsWith("Task restarted from its stored input: its workflow no longer exists"), why);
    }

    @Test
    void runningTaskWhoseWorkflowIsGonePastItsDeadlineTimesOut() {
        Task late = storedTask(TaskStatus.RUNNING, Duration.ofSeconds(120));
        JsonPath timedOut = awaitStatus(late.id, "TASK_STATUS_TIMEOUT", Duration.ofSeconds(15));
        assertEquals("Task exceeded its timeout of 60 seconds", timedOut.getString("error"));
    }

    @Test
    void queuedTaskWithoutAWorkflowIsStartedByTheReconciler() {
        Task queued = storedTask(TaskStatus.QUEUED, Duration.ofSeconds(60));
        JsonPath done = awaitStatus(queued.id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        assertEquals("local", done.getString("provider"));
    }

    @Test
    void workflowStalledBehindAWorkflowTaskNoWorkerStartsRunsAgain() {
        Task stalled = storedTask(TaskStatus.RUNNING, Duration.ofSeconds(1));
        // its workflow waits for a workflow task on a queue no worker polls, as one handed to a dead poller
        WorkflowClient.start(temporal.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(stalled.id).setTaskQueue("lost-workflow-tasks").build())::execute,
                new TaskRun(stalled.id, 60));

        awaitStatus(stalled.id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(20));
        List<String> types = eventTypes(stalled.id);
        assertEquals(List.of("TASK_QUEUED", "TASK_RESTARTED", "LLM_OUTPUT", "TASK_COMPLETED"), types);
        Map<String, Object> payload = Api.authed().get("/api/v1/tasks/" + stalled.id + "/events").then()
                .extract().path("events[1].payload");
        assertEquals("workflow_task_lost", payload.get("reason"));
    }
}
