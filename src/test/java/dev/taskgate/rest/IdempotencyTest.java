package dev.taskgate.rest;

import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.simulate;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Idempotency-Key on submit and cancel: replay, mismatch, concurrency, tenants. */
@QuarkusTest
class IdempotencyTest {

    private static Response post(String key, String apiKey, Object body) {
        return as(apiKey).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks");
    }

    @Test
    void sameKeyAndBodyReplaysTheOriginalTask() {
        String key = UUID.randomUUID().toString();
        String session = "idem-" + UUID.randomUUID();
        Response first = post(key, Api.KEY, Map.of("query", "hello", "session_id", session));
        first.then().statusCode(202);
        assertNull(first.header("Idempotent-Replayed"));
        String id = first.path("task_id");

        Response again = post(key, Api.KEY, "{ \"session_id\": \"" + session + "\",  \"query\": \"hello\" }");
        again.then().statusCode(202)
                .header("Idempotent-Replayed", "true")
                .header("X-Workflow-ID", id)
                .body("task_id", equalTo(id))
                .body("query", equalTo("hello"));
        authed().get("/api/v1/tasks?session_id=" + session).then().body("tasks", hasSize(1));
    }

    @Test
    void sameKeyWithADifferentBodyIs422() {
        String key = UUID.randomUUID().toString();
        post(key, Api.KEY, Map.of("query", "one")).then().statusCode(202);
        post(key, Api.KEY, Map.of("query", "two")).then().statusCode(422)
                .contentType(ContentType.JSON)
                .body("error", equalTo(
                        "Idempotency-Key was already used with a different request; use a new key for a new request"));
    }

    @Test
    void keysBelongToOneTenant() {
        String key = UUID.randomUUID().toString();
        String mine = post(key, Api.KEY, Map.of("query", "same")).then().statusCode(202).extract().path("task_id");
        Response theirs = post(key, Api.OTHER_TENANT_KEY, Map.of("query", "same"));
        theirs.then().statusCode(202);
        assertNull(theirs.header("Idempotent-Replayed"));
        assertNotEquals(mine, theirs.path("task_id"));
    }

    @Test
    void twentyConcurrentIdenticalSubmitsCreateOneTask() throws Exception {
        String key = UUID.randomUUID().toString();
        String session = "idem-race-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("query", "race", "session_id", session);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> post(key, Api.KEY, body));
            }
            Set<String> ids = new HashSet<>();
            int replays = 0;
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response r = f.get();
                assertEquals(202, r.statusCode(), r.asString());
                ids.add(r.path("task_id"));
                if ("true".equals(r.header("Idempotent-Replayed"))) {
                    replays++;
                }
            }
            assertEquals(1, ids.size(), "one task for one key: " + ids);
            assertEquals(19, replays);
        } finally {
            pool.shutdownNow();
        }
        authed().get("/api/v1/tasks?session_id=" + session).then().body("tasks", hasSize(1));
    }

    @Test
    void cancelWithAKeyReplaysItsAnswer() {
        String id = Api.submit(Map.of("query", "slow", "context", simulate(Map.of("delay_ms", 30_000))));
        String key = UUID.randomUUID().toString();
        Response first = authed().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("reason", "stop")).post("/api/v1/tasks/" + id + "/cancel");
        first.then().statusCode(202).body("success", equalTo(true));
        assertNull(first.header("Idempotent-Replayed"));
        authed().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("reason", "stop")).post("/api/v1/tasks/" + id + "/cancel")
                .then().statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("message", equalTo(first.path("message")))
                .body("status", equalTo(first.path("status")))
                .body("task_id", equalTo(id));
        authed().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("reason", "other")).post("/api/v1/tasks/" + id + "/cancel")
                .then().statusCode(422);
        // the same key on another operation is a mismatch too
        post(key, Api.KEY, Map.of("query", "x")).then().statusCode(422);
    }

    @Test
    void badKeysAre400() {
        post("tab\tkey", Api.KEY, Map.of("query", "x")).then().statusCode(400);
        post("k".repeat(256), Api.KEY, Map.of("query", "x")).then().statusCode(400)
                .body("error", equalTo("Idempotency-Key must be 1-255 printable ASCII characters"));
    }
}
