package dev.taskgate.task;

import dev.taskgate.support.Api;
import dev.taskgate.support.StoredTasks;
import dev.taskgate.workflow.TaskRun;
import dev.taskgate.workflow.TaskWorkflow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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

    @Inject
    EntityManager entities;

    @Inject
    TaskProgress progress;

    @Inject
    TaskMetrics metrics;

    @Inject
    TaskReads reads;

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

    @Test
    void aWorkflowStillRunningLongPastItsDeadlineIsStoppedAndTheTaskTimesOut() {
        String id = submit(Map.of("query", "stuck", "timeout_seconds", 10, "context", simulate(Map.of("delay_ms", 60_000))));
        awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        // as if it had been running for six minutes: its workflow should have ended it long ago
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery("UPDATE tasks SET created_at ="
                + " now() - interval '6 minutes', updated_at = now() - interval '6 minutes' WHERE id = ?1")
                .setParameter(1, id).executeUpdate());
        JsonPath timedOut = awaitStatus(id, "TASK_STATUS_TIMEOUT", Duration.ofSeconds(15));
        assertEquals("Task exceeded its timeout of 10 seconds", timedOut.getString("error"));
    }

    /** A stuck task's workflow may still answer its cancellation at once: the task ends TIMEOUT all the same. */
    @Test
    void aStuckTaskIsTimedOutEvenWhenItsWorkflowRecordsTheCancellationAtOnce() {
        Task stuck = storedTask(TaskStatus.RUNNING, Duration.ZERO);
        // six minutes running, yet just updated: the app's own reconciler leaves it alone for reconcile-after (2 s)
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery("UPDATE tasks SET created_at ="
                + " now() - interval '6 minutes', updated_at = now() WHERE id = ?1").setParameter(1, stuck.id).executeUpdate());
        TaskWorkflows answersAtOnce = new TaskWorkflows() {
            @Override
            public WorkflowState describe(String taskId) {
                return WorkflowState.RUNNING;
            }

            @Override
            public boolean cancel(String taskId, String reason) {
                progress.finish(taskId, TaskOutcome.cancelled(null)); // what the workflow records when cancelled
                return true;
            }

            @Override
            public void start(String taskId, int timeoutSeconds) {
                throw new AssertionError("not started again");
            }

            @Override
            public void restart(String taskId, int timeoutSeconds, Duration elapsed) {
                throw new AssertionError("not restarted");
            }

            @Override
            public void wake(String taskId) {
                throw new AssertionError("not woken");
            }
        };
        TaskView task = QuarkusTransaction.requiringNew().call(() -> reads.find("default", stuck.id));

        new TaskReconciliation(progress, answersAtOnce, metrics).reconcile(task);

        JsonPath timedOut = Api.get(stuck.id);
        assertEquals("TASK_STATUS_TIMEOUT", timedOut.getString("status"));
        assertEquals("Task exceeded its timeout of 60 seconds", timedOut.getString("error"));
    }

    @Test
    void aPausedTaskWhoseWorkflowIsGoneStaysPausedAndGoesOnWhenResumed() {
        Task paused = storedTask(TaskStatus.PAUSED, Duration.ofSeconds(5));
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery("UPDATE tasks SET pause_requested = true,"
                + " paused_at = now() - interval '4 seconds' WHERE id = ?1").setParameter(1, paused.id).executeUpdate());
        Api.eventually(Duration.ofSeconds(15), () -> assertTrue(eventTypes(paused.id).contains("TASK_RESTARTED")));
        Api.sleep(1_000);
        assertEquals("TASK_STATUS_PAUSED", Api.get(paused.id).getString("status"));

        Api.authed().post("/api/v1/tasks/" + paused.id + "/resume").then().statusCode(200);
        awaitStatus(paused.id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        assertEquals(List.of("TASK_QUEUED", "TASK_RESTARTED", "TASK_RESUMED", "LLM_OUTPUT", "TASK_COMPLETED"),
                eventTypes(paused.id));
    }
}
