package dev.taskgate.rest;

import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.errorOf;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pause, resume and approvals over REST, with the built-in model, which asks for the calculator
 * for arithmetic in STANDARD mode: what a client sees in the task, its events and the inbox.
 */
@QuarkusTest
class PauseAndApprovalTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static String arithmetic(Map<String, Object> more) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("query", "What is 6 * 7?", "mode", "standard"));
        body.putAll(more);
        return submit(body);
    }

    private static Response post(String key, String path, Object body) {
        var request = as(key).contentType(ContentType.JSON);
        return (body == null ? request : request.body(body)).post(path);
    }

    private static Response decide(String key, String taskId, String approvalId, Object body) {
        return post(key, "/api/v1/tasks/" + taskId + "/approvals/" + approvalId, body);
    }

    private static List<String> eventTypes(String taskId) {
        return authed().get("/api/v1/tasks/" + taskId + "/events").then().statusCode(200).extract().jsonPath()
                .getList("events.type");
    }

    @Test
    void anApprovedCallRunsAndTheTaskCompletesWithItsResult() {
        String id = arithmetic(Map.of("require_approval", List.of("calculator")));
        JsonPath paused = awaitStatus(id, "TASK_STATUS_PAUSED", WITHIN);
        assertEquals("Waiting for approval to run calculator", paused.getString("pause.reason"));
        assertEquals(List.of("calculator"), paused.getList("require_approval"));
        assertEquals("calculator", paused.getString("pause.pending_approvals[0].tool"));
        assertTrue(paused.getString("pause.pending_approvals[0].arguments").contains("6 * 7"));
        assertEquals("APPROVAL_STATUS_PENDING", paused.getString("pause.pending_approvals[0].status"));
        String approvalId = paused.getString("pause.pending_approvals[0].approval_id");

        JsonPath inbox = authed().get("/api/v1/approvals?status=pending&task_id=" + id).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(approvalId), inbox.getList("approvals.approval_id"));

        decide(Api.KEY, id, approvalId, Map.of("approved", true)).then().statusCode(200)
                .body("approval_id", equalTo(approvalId))
                .body("status", equalTo("APPROVAL_STATUS_APPROVED"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);
        assertTrue(done.getString("result").contains("6 * 7 = 42"), done.getString("result"));
        assertFalse(done.getMap("").containsKey("pause"));

        List<String> types = eventTypes(id);
        assertEquals(List.of("APPROVAL_REQUESTED", "TASK_PAUSED", "APPROVAL_DECIDED", "TASK_RESUMED", "TOOL_INVOKED",
                "TOOL_RESULT"), types.subList(types.indexOf("APPROVAL_REQUESTED"), types.indexOf("TOOL_RESULT") + 1));
        assertEquals("TASK_COMPLETED", types.get(types.size() - 1));

        String again = errorOf(decide(Api.KEY, id, approvalId, Map.of("approved", false)), 409);
        assertEquals("Approval " + approvalId + " is already approved", again);
    }

    @Test
    void aRefusedCallDoesNotRunAndTheModelSaysItCouldNotCompute() {
        String id = arithmetic(Map.of("require_approval", List.of("*")));
        String approvalId = awaitStatus(id, "TASK_STATUS_PAUSED", WITHIN).getString("pause.pending_approvals[0].approval_id");
        decide(Api.KEY, id, approvalId, Map.of("approved", false, "feedback", "no arithmetic today")).then()
                .statusCode(200)
                .body("status", equalTo("APPROVAL_STATUS_REFUSED"))
                .body("feedback", equalTo("no arithmetic today"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);
        assertTrue(done.getString("result").contains("I could not compute 6 * 7"), done.getString("result"));
        assertTrue(done.getString("result").contains("no arithmetic today"), done.getString("result"));
        assertFalse(eventTypes(id).contains("TOOL_INVOKED"));
    }

    @Test
    void anotherTenantCanNeitherSeeNorDecideNorPause() {
        String id = arithmetic(Map.of("require_approval", List.of("calculator")));
        String approvalId = awaitStatus(id, "TASK_STATUS_PAUSED", WITHIN).getString("pause.pending_approvals[0].approval_id");

        assertEquals("Task not found", errorOf(decide(Api.OTHER_TENANT_KEY, id, approvalId, Map.of("approved", true)), 404));
        assertEquals("Task not found", errorOf(post(Api.OTHER_TENANT_KEY, "/api/v1/tasks/" + id + "/pause", null), 404));
        assertEquals("Task not found", errorOf(post(Api.OTHER_TENANT_KEY, "/api/v1/tasks/" + id + "/resume", null), 404));
        List<String> theirs = as(Api.OTHER_TENANT_KEY).get("/api/v1/approvals?status=pending").then().statusCode(200)
                .extract().jsonPath().getList("approvals.approval_id");
        assertFalse(theirs.contains(approvalId));
        // an approval of one task cannot be decided through another task of the same tenant
        String otherTask = submit(Map.of("query", "hello"));
        assertEquals("Approval not found", errorOf(decide(Api.KEY, otherTask, approvalId, Map.of("approved", true)), 404));

        authed().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(202);
    }

    @Test
    void aPausedTaskStopsAtItsNextStepAndResumesWhereItStopped() {
        // each model call takes 1.5 s: the pause arrives during the first, which asks for the calculator
        String id = arithmetic(Map.of("context", simulate(Map.of("delay_ms", 1500))));
        awaitStatus(id, "TASK_STATUS_RUNNING", WITHIN);
        JsonPath paused = post(Api.KEY, "/api/v1/tasks/" + id + "/pause", Map.of("reason", "checking the budget"))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("TASK_STATUS_PAUSED", paused.getString("status"));
        assertEquals("checking the budget", paused.getString("pause.reason"));
        assertTrue(paused.getString("pause.since").endsWith("Z"));
        // harmless to repeat; the first reason stays
        post(Api.KEY, "/api/v1/tasks/" + id + "/pause", Map.of("reason", "again")).then().statusCode(200)
                .body("pause.reason", equalTo("checking the budget"));

        Api.sleep(3_000); // the call in flight ends and is recorded; the tool does not run
        assertEquals("TASK_STATUS_PAUSED", Api.get(id).getString("status"));
        assertTrue(eventTypes(id).contains("LLM_OUTPUT"));
        assertFalse(eventTypes(id).contains("TOOL_INVOKED"));

        post(Api.KEY, "/api/v1/tasks/" + id + "/resume", null).then().statusCode(200)
                .body("status", equalTo("TASK_STATUS_RUNNING"));
        post(Api.KEY, "/api/v1/tasks/" + id + "/resume", null).then().statusCode(200);
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);
        assertTrue(done.getString("result").contains("6 * 7 = 42"));
        List<String> types = eventTypes(id);
        assertTrue(types.indexOf("TASK_PAUSED") < types.indexOf("TASK_RESUMED"));
        assertTrue(types.indexOf("TASK_RESUMED") < types.indexOf("TOOL_INVOKED"));
    }

    @Test
    void timePausedDoesNotCountTowardTheTimeout() {
        String id = arithmetic(Map.of("timeout_seconds", 3, "context", simulate(Map.of("delay_ms", 300))));
        post(Api.KEY, "/api/v1/tasks/" + id + "/pause", null).then().statusCode(200);
        Api.sleep(4_500);
        assertEquals("TASK_STATUS_PAUSED", Api.get(id).getString("status"));
        post(Api.KEY, "/api/v1/tasks/" + id + "/resume", null).then().statusCode(200);
        awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);
    }

    @Test
    void aTaskLeftWaitingForADecisionTimesOutAndSaysWhy() {
        String id = arithmetic(Map.of("require_approval", List.of("calculator"), "approval_timeout_seconds", 1));
        JsonPath task = awaitStatus(id, "TASK_STATUS_TIMEOUT", WITHIN);
        assertTrue(task.getString("error").startsWith(
                "Task waited longer than its approval timeout of 1 seconds for a decision on running calculator"),
                task.getString("error"));
        String approvalId = authed().get("/api/v1/approvals?task_id=" + id).then().statusCode(200).extract()
                .path("approvals[0].approval_id");
        assertEquals("APPROVAL_STATUS_EXPIRED", authed().get("/api/v1/approvals?task_id=" + id).then().extract()
                .path("approvals[0].status"));
        assertTrue(errorOf(decide(Api.KEY, id, approvalId, Map.of("approved", true)), 409).startsWith(
                "Approval " + approvalId + " is already expired"));
    }

    @Test
    void aPausedTaskCanBeCancelledAndAFinishedOneCannotBePaused() {
        String id = arithmetic(Map.of("require_approval", List.of("calculator")));
        awaitStatus(id, "TASK_STATUS_PAUSED", WITHIN);
        authed().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(202)
                .body("status", equalTo("TASK_STATUS_CANCELLED"));
        assertEquals("Task has already been cancelled and cannot be paused",
                errorOf(post(Api.KEY, "/api/v1/tasks/" + id + "/pause", null), 409));

        String simple = submit(Map.of("query", "hello"));
        awaitStatus(simple, "TASK_STATUS_COMPLETED", WITHIN);
        assertEquals("Task has already completed and cannot be resumed",
                errorOf(post(Api.KEY, "/api/v1/tasks/" + simple + "/resume", null), 409));
    }

    @Test
    void theTenantsDefaultAppliesToTasksThatDoNotNameTheirOwn() {
        try {
            authed().contentType(ContentType.JSON).body(Map.of("require_approval", List.of("calculator")))
                    .put("/api/v1/settings").then().statusCode(200)
                    .body("require_approval", equalTo(List.of("calculator")));
            authed().get("/api/v1/settings").then().statusCode(200).body("require_approval", equalTo(List.of("calculator")));
            as(Api.OTHER_TENANT_KEY).get("/api/v1/settings").then().statusCode(200)
                    .body("require_approval", equalTo(List.of()));

            String byDefault = arithmetic(Map.of());
            assertEquals(List.of("calculator"), awaitStatus(byDefault, "TASK_STATUS_PAUSED", WITHIN).getList("require_approval"));
            String optedOut = arithmetic(Map.of("require_approval", List.of()));
            awaitStatus(optedOut, "TASK_STATUS_COMPLETED", WITHIN);
            authed().post("/api/v1/tasks/" + byDefault + "/cancel").then().statusCode(202);
        } finally {
            authed().contentType(ContentType.JSON).body(Map.of("require_approval", List.of())).put("/api/v1/settings")
                    .then().statusCode(200);
        }
    }

    @Test
    void badRequestsAreRefusedWithWhatIsWrong() {
        String id = submit(Map.of("query", "hello"));
        assertEquals("approved is required: true or false",
                errorOf(decide(Api.KEY, id, "apr_1", Map.of("feedback", "x")), 400));
        assertEquals("Invalid value for field 'approved': expected true or false",
                errorOf(decide(Api.KEY, id, "apr_1", Map.of("approved", "yes")), 400));
        assertEquals("Approval not found", errorOf(decide(Api.KEY, id, "apr_unknown", Map.of("approved", true)), 404));
        assertTrue(errorOf(decide(Api.KEY, id, "apr%20x", Map.of("approved", true)), 400).startsWith("Invalid approval id"));
        assertEquals("require_approval: unknown tool 'calculater' (tools: calculator, current_datetime, "
                        + "session_history, or \"*\" for all)",
                errorOf(authed().contentType(ContentType.JSON).body(Map.of("query", "q", "require_approval",
                        List.of("calculater"))).post("/api/v1/tasks"), 400));
        assertEquals("Invalid value for field 'require_approval': expected a JSON array",
                errorOf(authed().contentType(ContentType.JSON).body(Map.of("query", "q", "require_approval",
                        "calculator")).post("/api/v1/tasks"), 400));
        assertEquals("approval_timeout_seconds must be between 1 and 604800",
                errorOf(authed().contentType(ContentType.JSON).body(Map.of("query", "q", "approval_timeout_seconds", 0))
                        .post("/api/v1/tasks"), 400));
        assertTrue(errorOf(authed().get("/api/v1/approvals?status=bogus"), 400).startsWith("Unknown status 'bogus'"));
        assertTrue(errorOf(authed().contentType(ContentType.JSON).body("{\"require_approval\": [\"nope\"]}")
                .put("/api/v1/settings"), 400).startsWith("require_approval: unknown tool 'nope'"));
        assertTrue(errorOf(post(Api.KEY, "/api/v1/tasks/" + id + "/pause",
                Map.of("reason", "r".repeat(1001))), 400).startsWith("reason"));
    }
}
