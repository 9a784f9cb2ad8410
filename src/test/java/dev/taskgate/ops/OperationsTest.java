package dev.taskgate.ops;

import dev.taskgate.support.Api;
import dev.taskgate.support.StoredTasks;
import dev.taskgate.task.Task;
import dev.taskgate.task.TaskRepository;
import dev.taskgate.task.TaskRetention;
import dev.taskgate.task.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operator features: key management, retention, metrics and the OpenAPI document. */
@QuarkusTest
class OperationsTest {

    private static final String ADMIN = "test-admin-token";

    @Inject
    TaskRepository tasks;

    @Inject
    TaskRetention retention;

    @Inject
    MeterRegistry registry;

    @Test
    void apiKeysAreCreatedShownOnceListedWithoutSecretsAndRevoked() {
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("tenant", "acme")).post("/admin/api-keys")
                .then().statusCode(401).body(equalTo("{\"error\":\"Unauthorized\"}"));
        RestAssured.given().header("Authorization", "Bearer wrong").get("/admin/api-keys").then().statusCode(401);
        Api.authed().get("/admin/api-keys").then().statusCode(401);

        var created = RestAssured.given().header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                .body(Map.of("tenant", "acme")).post("/admin/api-keys")
                .then().statusCode(201)
                .body("key", matchesPattern("sk_live_[A-Za-z0-9_-]{40}"))
                .body("tenant", equalTo("acme"))
                .extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("id");

        String taskId = Api.as(key).contentType(ContentType.JSON).body(Map.of("query", "hello from acme"))
                .post("/api/v1/tasks").then().statusCode(202).extract().path("task_id");
        Api.authed().get("/api/v1/tasks/" + taskId).then().statusCode(404);

        String list = RestAssured.given().header("X-API-Key", ADMIN).get("/admin/api-keys")
                .then().statusCode(200).body("keys.id", org.hamcrest.Matchers.hasItem(id)).extract().asString();
        assertFalse(list.contains(key), "the plaintext key is shown only once");
        assertFalse(list.contains(dev.taskgate.auth.ApiKeys.hash(key)), "the full hash is never shown");
        for (String prefix : io.restassured.path.json.JsonPath.from(list).getList("keys.prefix", String.class)) {
            assertTrue(prefix.length() <= 12, "a prefix is short: " + prefix);
            assertFalse(prefix.equals("sk_test_123456") || prefix.equals(key), "no key is shown whole");
        }
        String configured = io.restassured.path.json.JsonPath.from(list).getString("keys.find { it.tenant == 'default' }.prefix");
        assertTrue(configured.length() <= 3, "a short configured key shows at most a quarter of itself: " + configured);

        RestAssured.given().header("X-API-Key", ADMIN).delete("/admin/api-keys/" + id)
                .then().statusCode(200).body("revoked_at", not(equalTo(null)));
        Api.as(key).get("/api/v1/tasks/" + taskId).then().statusCode(401);
        Api.authed().get("/api/v1/tasks/task_abc123").then().statusCode(404);
    }

    @Test
    void keyManagementRejectsBadInput() {
        RestAssured.given().header("X-API-Key", ADMIN).contentType(ContentType.JSON).body(Map.of("tenant", "a b"))
                .post("/admin/api-keys").then().statusCode(400)
                .body("error", equalTo("tenant must be 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'"));
        RestAssured.given().header("X-API-Key", ADMIN).delete("/admin/api-keys/xyz").then().statusCode(400)
                .body("error", equalTo("Invalid key id: expected 16 hex characters"));
        RestAssured.given().header("X-API-Key", ADMIN).delete("/admin/api-keys/0000000000000000").then().statusCode(404)
                .body("error", equalTo("API key not found"));
    }

    private Task stored(String suffix, TaskStatus status, Instant createdAt) {
        return StoredTasks.insert("RETENTION" + suffix, status, createdAt);
    }

    @Test
    void retentionDeletesOldFinishedTasksWithTheirEventsOnly() {
        Instant old = Instant.now().minus(40, ChronoUnit.DAYS);
        Task expired = stored("OLD", TaskStatus.COMPLETED, old);
        Task unfinished = stored("RUNNING", TaskStatus.RUNNING, old);
        // Created long ago but active now, so the reconciler leaves it alone during the test.
        QuarkusTransaction.requiringNew().run(() -> tasks.getEntityManager()
                .createNativeQuery("UPDATE tasks SET updated_at = now() + interval '1 minute' WHERE id = ?1")
                .setParameter(1, unfinished.id).executeUpdate());
        Task recent = stored("NEW", TaskStatus.COMPLETED, Instant.now().minus(1, ChronoUnit.DAYS));
        Api.authed().get("/api/v1/tasks/" + expired.id + "/events").then().statusCode(200).body("events.size()", equalTo(1));

        assertTrue(retention.deleteExpired() >= 1);

        Api.authed().get("/api/v1/tasks/" + expired.id).then().statusCode(404);
        Api.authed().get("/api/v1/tasks/" + expired.id + "/events").then().statusCode(404);
        assertTrue(tasks.findForTenant(unfinished.id, "default").isPresent(), "unfinished tasks are never deleted");
        assertTrue(tasks.findForTenant(recent.id, "default").isPresent());
    }

    @Test
    void metricsCountTasksTokensAndStreams() {
        String id = submit(Map.of("query", "count me"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("taskgate_tasks_submitted_total{mode=\"simple\"}"), metrics);
        assertTrue(metrics.matches("(?s).*taskgate_tasks_finished_total\\{[^}]*status=\"completed\"[^}]*}.*"));
        assertTrue(metrics.matches("(?s).*taskgate_task_duration_seconds_count\\{[^}]*}.*"));
        assertTrue(metrics.matches("(?s).*taskgate_llm_tokens_tokens_total\\{[^}]*provider=\"local\"[^}]*}.*")
                || metrics.matches("(?s).*taskgate_llm_tokens_total\\{[^}]*provider=\"local\"[^}]*}.*"), metrics);
        assertTrue(metrics.contains("taskgate_streams_open"));
    }

    @Test
    void failedTasksAreLabelledWithTheirProviderAndTemporalMetricsStayFew() {
        String id = submit(Map.of("query", "fail me", "context", Map.of("simulate", Map.of("error", "provider down"))));
        awaitStatus(id, "TASK_STATUS_FAILED", Duration.ofSeconds(20));
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.matches("(?s).*taskgate_tasks_finished_total\\{[^}]*provider=\"local\"[^}]*status=\"failed\"[^}]*}.*"),
                metrics);
        assertFalse(metrics.contains("provider=\"none\""), metrics);
        assertFalse(metrics.matches("(?s).*\ntemporal_[a-z_]*_bucket\\{.*"), "Temporal histograms are opt-in");
        assertFalse(metrics.contains("temporal_poll"), "Temporal poll metrics are opt-in");

        Timer.builder("temporal_workflow_task_schedule_to_start_latency").publishPercentileHistogram().register(registry)
                .record(Duration.ofMillis(5));
        Timer.builder("temporal_long_request_latency").register(registry).record(Duration.ofMillis(5));
        String after = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(after.contains("temporal_workflow_task_schedule_to_start_latency_seconds_count"), after);
        assertFalse(after.contains("temporal_workflow_task_schedule_to_start_latency_seconds_bucket"), after);
        assertFalse(after.contains("temporal_long_request_latency"), after);
    }

    @Test
    void openApiDocumentsEveryEndpoint() {
        String doc = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        for (String path : List.of("/api/v1/tasks", "/api/v1/tasks/{id}", "/api/v1/tasks/{id}/cancel",
                "/api/v1/tasks/{id}/events", "/api/v1/tasks/{id}/stream", "/admin/api-keys")) {
            assertTrue(doc.contains("\"" + path + "\""), path);
        }
        assertTrue(doc.contains("task_01HQZX3Y9K8M2P4N5S7T9W2V"), "the API doc's examples are in the document");
        assertTrue(doc.contains("LLM service unavailable: connection timeout"));
        RestAssured.get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
