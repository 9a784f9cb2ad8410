package dev.taskgate.rest;

import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cheap polling: ETag/304, Retry-After, long polls woken by NOTIFY or ended by their deadline. */
@QuarkusTest
class PollingTest {

    private static String slowTask() {
        return submit(Map.of("query", "slow", "context", simulate(Map.of("delay_ms", 600_000))));
    }

    @Test
    void etagAnswers304WithoutABodyAndChangesWithTheTask() {
        String id = slowTask();
        awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        Response running = authed().get("/api/v1/tasks/" + id);
        String etag = running.header("ETag");
        assertNotNull(etag);
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);

        Response same = authed().header("If-None-Match", etag).get("/api/v1/tasks/" + id);
        assertEquals(304, same.statusCode());
        assertEquals("", same.asString());
        assertEquals(etag, same.header("ETag"));
        assertEquals(id, same.header("X-Workflow-ID"));
        assertNotNull(same.header("Retry-After"));

        authed().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(202);
        Response done = authed().header("If-None-Match", etag).get("/api/v1/tasks/" + id);
        done.then().statusCode(200).body("status", equalTo("TASK_STATUS_CANCELLED"));
        String doneTag = done.header("ETag");
        assertNotEquals(etag, doneTag);
        authed().header("If-None-Match", doneTag).get("/api/v1/tasks/" + id).then().statusCode(304)
                .header("ETag", doneTag);
        authed().header("If-None-Match", "W/" + doneTag + ", \"other\"").get("/api/v1/tasks/" + id)
                .then().statusCode(304);
        authed().header("If-None-Match", "\"other\"").get("/api/v1/tasks/" + id).then().statusCode(200);
    }

    @Test
    void submitAnswersCarryAnEtag() {
        Response submitted = authed().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("query", "tag me")).post("/api/v1/tasks");
        submitted.then().statusCode(202).header("ETag", notNullValue()).header("Retry-After", "2");
    }

    @Test
    void retryAfterOnlyWhileUnfinished() {
        String id = slowTask();
        awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        authed().get("/api/v1/tasks/" + id).then().statusCode(200).header("Retry-After", "2");
        authed().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(202);
        Response done = authed().get("/api/v1/tasks/" + id);
        done.then().statusCode(200).body("status", equalTo("TASK_STATUS_CANCELLED"));
        assertNull(done.header("Retry-After"));
    }

    @Test
    void terminalTasksServedFromMemoryStayTenantScoped() {
        String id = submit(Map.of("query", "cached"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        for (int i = 0; i < 3; i++) {
            authed().get("/api/v1/tasks/" + id).then().statusCode(200).body("task_id", equalTo(id));
            as(Api.OTHER_TENANT_KEY).get("/api/v1/tasks/" + id).then().statusCode(404)
                    .body("error", equalTo("Task not found"));
        }
        as(Api.OTHER_TENANT_KEY).get("/api/v1/tasks/" + id + "?wait=5").then().statusCode(404);
    }

    @Test
    void longPollAnswersAsSoonAsTheStatusChanges() throws Exception {
        String id = slowTask();
        awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        long start = System.nanoTime();
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                () -> authed().get("/api/v1/tasks/" + id + "?wait=30"));
        Api.sleep(700);
        assertTrue(!poll.isDone(), "the long poll waits while nothing changes");
        authed().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(202);
        Response answer = poll.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        answer.then().statusCode(200).body("status", equalTo("TASK_STATUS_CANCELLED"));
        assertTrue(millis < 10_000, "woken by the change, not the deadline: " + millis + " ms");
    }

    @Test
    void longPollAnswersTheUnchangedTaskAtTheDeadline() {
        String id = slowTask();
        awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        String etag = authed().get("/api/v1/tasks/" + id).header("ETag");
        long start = System.nanoTime();
        authed().get("/api/v1/tasks/" + id + "?wait=1").then().statusCode(200)
                .body("status", equalTo("TASK_STATUS_RUNNING")).header("Retry-After", notNullValue());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 900 && millis < 5_000, "answered at the deadline: " + millis + " ms");

        start = System.nanoTime();
        authed().header("If-None-Match", etag).get("/api/v1/tasks/" + id + "?wait=1").then().statusCode(304);
        millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 900, "a conditional long poll waits too: " + millis + " ms");
        authed().post("/api/v1/tasks/" + id + "/cancel").then().statusCode(202);
    }

    @Test
    void longPollOnAnOutdatedCopyOrATerminalTaskAnswersAtOnce() {
        String id = submit(Map.of("query", "quick"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        long start = System.nanoTime();
        authed().get("/api/v1/tasks/" + id + "?wait=30").then().statusCode(200);
        authed().header("If-None-Match", "\"stale\"").get("/api/v1/tasks/" + id + "?wait=30").then().statusCode(200);
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
    }

    @Test
    void badWaitIs400() {
        String id = submit(Map.of("query", "w"));
        for (String wait : List.of("-1", "61", "abc", "1.5")) {
            authed().get("/api/v1/tasks/" + id + "?wait=" + wait).then().statusCode(400)
                    .body("error", containsString("wait must be a whole number of seconds between 0 and 60"));
        }
        authed().get("/api/v1/tasks/" + id + "?wait=0").then().statusCode(200);
        authed().get("/api/v1/tasks/task_nothere?wait=2").then().statusCode(404).body("error", equalTo("Task not found"));
    }
}
