package dev.taskgate.rest;

import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented task object through its whole life: QUEUED, RUNNING, COMPLETED and the bad endings. */
@QuarkusTest
class TaskLifecycleTest {

    private static final String RFC3339 = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @Test
    void submitAnswers202WithTheQueuedTaskAndHeaders() {
        var response = authed().contentType(ContentType.JSON)
                .body(Map.of("query", "What is the capital of France?", "session_id", "user-123-session",
                        "context", simulate(Map.of("delay_ms", 300))))
                .post("/api/v1/tasks");
        response.then().statusCode(202)
                .body("task_id", matchesPattern("task_[0-9A-HJKMNP-TV-Z]{26}"))
                .body("status", equalTo("TASK_STATUS_QUEUED"))
                .body("response", nullValue())
                .body("error", equalTo(""))
                .body("query", equalTo("What is the capital of France?"))
                .body("session_id", equalTo("user-123-session"))
                .body("mode", equalTo("EXECUTION_MODE_SIMPLE"))
                .body("created_at", matchesPattern(RFC3339))
                .body("updated_at", matchesPattern(RFC3339));
        String id = response.path("task_id");
        assertEquals("/api/v1/tasks/" + id, java.net.URI.create(response.header("Location")).getPath());
        assertEquals(id, response.header("X-Workflow-ID"));
        Map<String, Object> body = response.jsonPath().getMap("");
        assertFalse(body.containsKey("result"), "no result before there is one");
        assertFalse(body.containsKey("usage"), "no usage before a model call");
        assertFalse(body.containsKey("model_used"));
    }

    @Test
    void taskGoesFromRunningToCompletedWithTheDocumentedFields() {
        String id = submit(Map.of("query", "What is the capital of France?",
                "context", simulate(Map.of("delay_ms", 1500))));

        JsonPath running = awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        assertEquals("", running.getString("error"));
        assertTrue(running.getMap("").containsKey("response"));
        assertNull(running.get("response"));

        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        assertTrue(done.getString("result").contains("local model"), done.getString("result"));
        assertEquals(done.getString("result"), done.getString("response.result"));
        assertEquals("local", done.getString("provider"));
        assertEquals("taskgate-local-1", done.getString("model_used"));
        assertEquals("", done.getString("error"));
        long in = done.getLong("usage.input_tokens");
        long out = done.getLong("usage.output_tokens");
        assertTrue(in > 0 && out > 0);
        assertEquals(in + out, done.getLong("usage.total_tokens"));
        assertEquals(0.0, done.getDouble("usage.estimated_cost"));
        assertEquals(id, authed().get("/api/v1/tasks/" + id).header("X-Workflow-ID"));
    }

    @Test
    void jsonResultIsParsedIntoResponse() {
        String id = submit(Map.of("query", "Give me JSON", "mode", "standard",
                "context", simulate(Map.of("result", "{\"city\": \"Paris\", \"population\": 2102650}"))));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        assertEquals("EXECUTION_MODE_STANDARD", done.getString("mode"));
        assertEquals("Paris", done.getString("response.city"));
        assertEquals(2102650, done.getInt("response.population"));
        assertEquals("{\"city\": \"Paris\", \"population\": 2102650}", done.getString("result"));
    }

    @Test
    void providerErrorFailsTheTaskWithAUserFacingError() {
        String id = submit(Map.of("query", "What is the capital of France?", "mode", "EXECUTION_MODE_COMPLEX",
                "context", simulate(Map.of("error", "LLM service unavailable: connection timeout"))));
        JsonPath failed = awaitStatus(id, "TASK_STATUS_FAILED", Duration.ofSeconds(15));
        assertEquals("LLM service unavailable: connection timeout", failed.getString("error"));
        assertNull(failed.get("response"));
        assertFalse(failed.getMap("").containsKey("result"));
        assertEquals("EXECUTION_MODE_COMPLEX", failed.getString("mode"));
    }

    @Test
    void slowTaskTimesOutAtItsDeadline() {
        String id = submit(Map.of("query", "slow", "timeout_seconds", 1,
                "context", simulate(Map.of("delay_ms", 20_000))));
        JsonPath timedOut = awaitStatus(id, "TASK_STATUS_TIMEOUT", Duration.ofSeconds(15));
        assertEquals("Task exceeded its timeout of 1 seconds", timedOut.getString("error"));
        assertNull(timedOut.get("response"));
    }

    @Test
    void generatedSessionIdWhenNoneGiven() {
        authed().contentType(ContentType.JSON).body(Map.of("query", "hi"))
                .post("/api/v1/tasks")
                .then().statusCode(202)
                .body("session_id", matchesPattern("session_[0-9A-Z]{26}"))
                .body("created_at", notNullValue());
    }
}
