package dev.taskgate.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document against the answers the API really gives. */
@QuarkusTest
class OpenApiContractTest {

    private JsonNode doc;

    @BeforeEach
    void fetchDocument() throws Exception {
        doc = new ObjectMapper().readTree(RestAssured.given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void everyApiOperationAsksForTheKey() {
        List<String> checked = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/api/") || path.getKey().startsWith("/admin/")) {
                path.getValue().fields().forEachRemaining(operation -> {
                    JsonNode security = operation.getValue().get("security");
                    assertTrue(security != null && security.toString().contains(OpenApiContract.API_KEY),
                            operation.getKey() + " " + path.getKey() + " has no security requirement");
                    assertTrue(operation.getValue().path("responses").has("401"), path.getKey());
                    checked.add(operation.getKey() + " " + path.getKey());
                });
            }
        });
        assertTrue(checked.size() >= 15, checked.toString());
        assertEquals("X-API-Key", doc.at("/components/securitySchemes/ApiKey/name").asText());
        assertEquals("bearer", doc.at("/components/securitySchemes/Bearer/scheme").asText());
    }

    @Test
    void everyDocumentedPathIsCountedInMetricsUnderItsTemplate() {
        List<String> patterns = ConfigProvider.getConfig()
                .getValues("quarkus.micrometer.binder.http-server.match-patterns", String.class);
        doc.get("paths").fieldNames().forEachRemaining(path -> {
            if (path.startsWith("/api/") || path.startsWith("/admin/")) {
                String concrete = path.replaceAll("\\{[^}]+}", "x1");
                String recordedAs = patterns.stream().map(pattern -> pattern.split("=", 2))
                        .filter(pair -> concrete.matches(pair[0])).map(pair -> pair[1]).findFirst().orElse(concrete);
                assertEquals(path, recordedAs, "metrics record " + concrete + " as " + recordedAs);
            }
        });
    }

    @Test
    void everyStatusTheApiAnswersIsDocumentedForItsOperation() {
        String completed = submit(Map.of("query", "contract"));
        awaitStatus(completed, "TASK_STATUS_COMPLETED", Duration.ofSeconds(20));
        String etag = Api.authed().get("/api/v1/tasks/" + completed).then().extract().header("ETag");
        String slow = submit(Map.of("query", "slow", "context", Api.simulate(Map.of("delay_ms", 20_000))));
        String key = UUID.randomUUID().toString();

        answers("post", "/api/v1/tasks", Api.authed().contentType(ContentType.JSON).body("{\"query\": \"ok\"}").post("/api/v1/tasks"), 202);
        answers("post", "/api/v1/tasks", Api.authed().contentType(ContentType.JSON).body("{\"query\": ").post("/api/v1/tasks"), 400);
        answers("post", "/api/v1/tasks", Api.authed().contentType(ContentType.TEXT).body("hi").post("/api/v1/tasks"), 415);
        answers("post", "/api/v1/tasks", Api.authed().contentType(ContentType.JSON)
                .body("{\"query\": \"" + "x".repeat(2_000_000) + "\"}").post("/api/v1/tasks"), 413);
        answers("post", "/api/v1/tasks", RestAssured.given().contentType(ContentType.JSON).body("{\"query\": \"ok\"}")
                .post("/api/v1/tasks"), 401);
        Api.authed().header("Idempotency-Key", key).contentType(ContentType.JSON).body("{\"query\": \"one\"}").post("/api/v1/tasks");
        answers("post", "/api/v1/tasks", Api.authed().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"query\": \"another\"}").post("/api/v1/tasks"), 422);
        answers("get", "/api/v1/tasks", Api.authed().get("/api/v1/tasks"), 200);
        answers("get", "/api/v1/tasks", Api.authed().get("/api/v1/tasks?limit=zero"), 400);
        answers("get", "/api/v1/tasks/{id}", Api.authed().get("/api/v1/tasks/" + completed), 200);
        answers("get", "/api/v1/tasks/{id}", Api.authed().header("If-None-Match", etag).get("/api/v1/tasks/" + completed), 304);
        answers("get", "/api/v1/tasks/{id}", Api.authed().get("/api/v1/tasks/task_00000000000000000000000000"), 404);
        answers("get", "/api/v1/tasks/{id}", Api.authed().get("/api/v1/tasks/" + completed + "?wait=forever"), 400);
        answers("get", "/api/v1/tasks/{id}/events", Api.authed().get("/api/v1/tasks/" + completed + "/events"), 200);
        Response stream = Api.authed().get("/api/v1/tasks/" + completed + "/stream");
        answers("get", "/api/v1/tasks/{id}/stream", stream, 200);
        assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
        assertTrue(doc.at("/paths/~1api~1v1~1tasks~1{id}~1stream/get/responses/200/content").has("text/event-stream"));
        answers("post", "/api/v1/tasks/{id}/cancel", Api.authed().post("/api/v1/tasks/" + completed + "/cancel"), 409);
        answers("post", "/api/v1/tasks/{id}/pause", Api.authed().post("/api/v1/tasks/" + completed + "/pause"), 409);
        answers("post", "/api/v1/tasks/{id}/resume", Api.authed().post("/api/v1/tasks/" + completed + "/resume"), 409);
        answers("post", "/api/v1/tasks/{id}/pause", Api.authed().post("/api/v1/tasks/" + slow + "/pause"), 200);
        answers("post", "/api/v1/tasks/{id}/resume", Api.authed().post("/api/v1/tasks/" + slow + "/resume"), 200);
        answers("post", "/api/v1/tasks/{id}/cancel", Api.authed().post("/api/v1/tasks/" + slow + "/cancel"), 202);
        answers("post", "/api/v1/tasks/{id}/approvals/{approval_id}", Api.authed().contentType(ContentType.JSON)
                .body("{\"approved\": true}").post("/api/v1/tasks/" + completed + "/approvals/apr_00000000000000000000000000"), 404);
        answers("get", "/api/v1/approvals", Api.authed().get("/api/v1/approvals?status=pending"), 200);
        answers("get", "/api/v1/approvals", Api.authed().get("/api/v1/approvals?status=maybe"), 400);
        answers("get", "/api/v1/settings", Api.authed().get("/api/v1/settings"), 200);
        answers("put", "/api/v1/settings", Api.authed().contentType(ContentType.JSON).body("{\"require_approval\": []}")
                .put("/api/v1/settings"), 200);
        answers("put", "/api/v1/settings", Api.authed().contentType(ContentType.JSON).body("{\"require_approval\": 3}")
                .put("/api/v1/settings"), 400);
        answers("get", "/api/v1/sessions", Api.authed().get("/api/v1/sessions"), 200);
        answers("get", "/api/v1/sessions/{id}", Api.authed().get("/api/v1/sessions/no-such-session"), 404);
    }

    /** The answer has the expected status, and the document lists that status for the operation. */
    private void answers(String method, String path, Response response, int status) {
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.asString());
        JsonNode responses = doc.path("paths").path(path).path(method).path("responses");
        assertFalse(responses.isMissingNode(), method + " " + path + " is not in the document");
        assertTrue(responses.has(String.valueOf(status)),
                method + " " + path + " answers " + status + " but documents " + responses.properties().stream()
                        .map(Map.Entry::getKey).toList());
    }
}
