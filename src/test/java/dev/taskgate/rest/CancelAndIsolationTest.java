package dev.taskgate.rest;

import dev.taskgate.support.Api;
import dev.taskgate.task.TaskWorkflows;
import dev.taskgate.task.WorkflowState;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cancel semantics (idempotent, final, 409 after the end) and tenant isolation. */
@QuarkusTest
class CancelAndIsolationTest {

    @Inject
    TaskWorkflows workflows;

    private static String slowTask() {
        return submit(Map.of("query", "take your time", "context", simulate(Map.of("delay_ms", 30_000))));
    }

    private static io.restassured.response.Response cancel(String id, Object body) {
        return authed().contentType(ContentType.JSON).body(body).post("/api/v1/tasks/" + id + "/cancel");
    }

    @Test
    void cancellingARunningTaskRecordsCancelledWithTheReason() {
        String id = slowTask();
        awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));

        cancel(id, Map.of("reason", "changed my mind")).then().statusCode(202)
                .header("X-Workflow-ID", id)
                .body("success", equalTo(true))
                .body("task_id", equalTo(id))
                .body("message", equalTo("Task cancelled"))
                .body("status", equalTo("TASK_STATUS_CANCELLED"));

        JsonPath task = Api.get(id);
        assertEquals("TASK_STATUS_CANCELLED", task.getString("status"));
        assertEquals("Task cancelled by user: changed my mind", task.getString("error"));

        // the workflow really stops, and nothing is recorded after the terminal event
        Api.eventually(Duration.ofSeconds(15), () -> assertEquals(WorkflowState.CANCELED, workflows.describe(id)));
        JsonPath events = authed().get("/api/v1/tasks/" + id + "/events").then().statusCode(200).extract().jsonPath();
        assertEquals("TASK_CANCELLED", events.getString("events[-1].type"));
        assertEquals(1, events.getList("events.findAll { it.type == 'TASK_CANCELLED' }").size());
    }

    @Test
    void cancelIsHarmlessToRepeatAndFinal() {
        String id = slowTask();
        cancel(id, Map.of()).then().statusCode(202).body("status", equalTo("TASK_STATUS_CANCELLED"));
        authed().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(202)
                .body("success", equalTo(true))
                .body("message", equalTo("Task already cancelled"))
                .body("status", equalTo("TASK_STATUS_CANCELLED"));
        Api.sleep(1500);
        JsonPath task = Api.get(id);
        assertEquals("TASK_STATUS_CANCELLED", task.getString("status"));
        assertEquals("Task cancelled by user", task.getString("error"));
    }

    @Test
    void cancellingAFinishedTaskIsAConflict() {
        String completed = submit(Map.of("query", "quick"));
        awaitStatus(completed, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
        cancel(completed, Map.of()).then().statusCode(409)
                .body(equalTo("{\"error\":\"Task has already completed and cannot be cancelled\"}"));

        String failed = submit(Map.of("query", "q", "context", simulate(Map.of("error", "boom"))));
        awaitStatus(failed, "TASK_STATUS_FAILED", Duration.ofSeconds(10));
        cancel(failed, Map.of()).then().statusCode(409)
                .body("error", equalTo("Task has already failed and cannot be cancelled"));

        String timedOut = submit(Map.of("query", "q", "timeout_seconds", 1,
                "context", simulate(Map.of("delay_ms", 10_000))));
        awaitStatus(timedOut, "TASK_STATUS_TIMEOUT", Duration.ofSeconds(10));
        cancel(timedOut, Map.of()).then().statusCode(409)
                .body("error", equalTo("Task has already timed out and cannot be cancelled"));
        assertEquals("TASK_STATUS_COMPLETED", Api.get(completed).getString("status"));
    }

    @Test
    void cancelBodyMustBeJsonWhenPresent() {
        String id = slowTask();
        authed().contentType(ContentType.JSON).body("{\"reason\": ").post("/api/v1/tasks/" + id + "/cancel")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.startsWith("Malformed JSON"));
        authed().contentType(ContentType.JSON).body("{\"reason\": 5}").post("/api/v1/tasks/" + id + "/cancel")
                .then().statusCode(400).body("error", equalTo("Invalid value for field 'reason': expected a text"));
        authed().contentType(ContentType.JSON).body("{\"reason\": \"no longer needed\"}").post("/api/v1/tasks/" + id + "/cancel")
                .then().statusCode(202);
    }

    @Test
    void cancelOfAnUnknownTaskIs404() {
        cancel("task_doesnotexist", Map.of()).then().statusCode(404)
                .body(equalTo("{\"error\":\"Task not found\"}"));
    }

    @Test
    void anotherTenantSeesTheSame404AsForAMissingTask() {
        String id = submit(Map.of("query", "mine"));
        String missing = as(Api.OTHER_TENANT_KEY).get("/api/v1/tasks/task_01HQZX3Y9K8M2P4N5S7T9W2V")
                .then().statusCode(404).extract().asString();
        as(Api.OTHER_TENANT_KEY).get("/api/v1/tasks/" + id)
                .then().statusCode(404).body(equalTo(missing));
        as(Api.OTHER_TENANT_KEY).contentType(ContentType.JSON).body("{}").post("/api/v1/tasks/" + id + "/cancel")
                .then().statusCode(404).body(equalTo(missing));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
    }
}
