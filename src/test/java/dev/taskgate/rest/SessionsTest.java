package dev.taskgate.rest;

import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/v1/sessions, /sessions/{id} and /sessions/{id}/tasks, per tenant. */
@QuarkusTest
class SessionsTest {

    @Test
    void aSessionSumsItsTasksUsageAndKnowsItsActivity() {
        String session = "sess-" + UUID.randomUUID();
        String a = submit(Map.of("query", "What is the capital of France?", "session_id", session));
        String b = submit(Map.of("query", "And of Italy?", "session_id", session));
        JsonPath first = awaitStatus(a, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        JsonPath second = awaitStatus(b, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));

        JsonPath summary = authed().get("/api/v1/sessions/" + session).then().statusCode(200)
                .body("session_id", equalTo(session))
                .body("task_count", equalTo(2))
                .extract().jsonPath();
        assertEquals(first.getLong("usage.input_tokens") + second.getLong("usage.input_tokens"),
                summary.getLong("usage.input_tokens"));
        assertEquals(first.getLong("usage.output_tokens") + second.getLong("usage.output_tokens"),
                summary.getLong("usage.output_tokens"));
        assertEquals(summary.getLong("usage.input_tokens") + summary.getLong("usage.output_tokens"),
                summary.getLong("usage.total_tokens"));
        assertEquals(0.0, summary.getDouble("usage.estimated_cost"));
        assertEquals(first.getString("created_at"), summary.getString("first_activity_at"));
        Instant last = Instant.parse(summary.getString("last_activity_at"));
        assertFalse(last.isBefore(Instant.parse(second.getString("updated_at"))));

        authed().get("/api/v1/sessions/" + session + "/tasks").then().statusCode(200)
                .body("tasks", hasSize(2))
                .body("tasks[0].task_id", equalTo(b))
                .body("tasks[1].task_id", equalTo(a));
        authed().get("/api/v1/sessions/" + session + "/tasks?status=failed").then().statusCode(200)
                .body("tasks", hasSize(0));
        authed().get("/api/v1/sessions/" + session + "/tasks?limit=1").then().statusCode(200)
                .body("tasks", hasSize(1));
    }

    @Test
    void sessionsAreListedNewestFirstAndPageWithoutRepeats() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String session = "page-" + UUID.randomUUID();
            submit(Map.of("query", "q", "session_id", session));
            created.add(session);
            Api.sleep(5);
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonPath page = authed().get("/api/v1/sessions?limit=2" + (token == null ? "" : "&page_token=" + token))
                    .then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("sessions.session_id"));
            token = page.getString("next_page_token");
            if (pages == 0) {
                submit(Map.of("query", "q", "session_id", "page-late-" + UUID.randomUUID()));
            }
            pages++;
        } while (token != null && pages < 500);
        assertEquals(seen.size(), new HashSet<>(seen).size());
        assertTrue(seen.containsAll(created));
        List<String> mine = seen.stream().filter(created::contains).toList();
        assertEquals(List.of(created.get(3), created.get(2), created.get(1), created.get(0)), mine);
    }

    @Test
    void anotherTenantsSessionIsNotFound() {
        String session = "iso-" + UUID.randomUUID();
        submit(Map.of("query", "q", "session_id", session));
        as(Api.OTHER_TENANT_KEY).get("/api/v1/sessions/" + session).then().statusCode(404)
                .body("error", equalTo("Session not found"));
        as(Api.OTHER_TENANT_KEY).get("/api/v1/sessions/" + session + "/tasks").then().statusCode(404)
                .body("error", equalTo("Session not found"));
        authed().get("/api/v1/sessions/missing-" + UUID.randomUUID()).then().statusCode(404)
                .body("error", equalTo("Session not found"));
        List<String> theirs = as(Api.OTHER_TENANT_KEY).get("/api/v1/sessions?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("sessions.session_id");
        assertFalse(theirs.contains(session));
    }

    @Test
    void badSessionRequestsAnswer400() {
        authed().get("/api/v1/sessions?limit=0").then().statusCode(400).body("error", equalTo(
                "limit must be a whole number between 1 and 100"));
        authed().get("/api/v1/sessions?page_token=nope").then().statusCode(400);
        authed().get("/api/v1/sessions/bad%20id").then().statusCode(400);
        authed().get("/api/v1/sessions/x/tasks?created_after=soon").then().statusCode(400);
    }
}
