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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /api/v1/tasks: keyset paging, every filter, tenant isolation and bad input. */
@QuarkusTest
class ListingTest {

    private static String newSession() {
        return "list-" + UUID.randomUUID();
    }

    private static String submitIn(String session, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("query", "q");
        body.put("session_id", session);
        return submit(body);
    }

    private static JsonPath page(String query) {
        return authed().get("/api/v1/tasks?" + query).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void pagesAreNewestFirstAndNeitherSkipNorRepeatWhileTasksArrive() throws Exception {
        String session = newSession();
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            before.add(submitIn(session, Map.of()));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<String> added = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            while (!stop.get() && added.size() < 30) {
                added.add(submitIn(session, Map.of()));
            }
        });
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonPath page = page("session_id=" + session + "&limit=5" + (token == null ? "" : "&page_token=" + token));
            seen.addAll(page.getList("tasks.task_id"));
            token = page.getString("next_page_token");
            pages++;
            Api.sleep(20);
        } while (token != null && pages < 50);
        stop.set(true);
        writer.get();

        assertEquals(seen.size(), new HashSet<>(seen).size(), "no task repeated: " + seen);
        assertTrue(seen.containsAll(before), "no task that existed before paging began was skipped");
        List<String> sorted = new ArrayList<>(seen);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, seen, "newest first (ids are ULIDs, so they sort by creation)");
        for (String id : seen) {
            assertTrue(before.contains(id) || added.contains(id));
        }
    }

    @Test
    void lastPageHasNoTokenAndDefaultLimitIsTwenty() {
        String session = newSession();
        for (int i = 0; i < 3; i++) {
            submitIn(session, Map.of());
        }
        authed().get("/api/v1/tasks?session_id=" + session).then().statusCode(200)
                .body("tasks", hasSize(3))
                .body("next_page_token", nullValue())
                .body("tasks[0].session_id", equalTo(session))
                .body("tasks[0].query", equalTo("q"));
        JsonPath all = page("limit=100");
        assertTrue(all.getList("tasks").size() >= 3);
        assertTrue(authed().get("/api/v1/tasks").then().statusCode(200).extract().jsonPath()
                .getList("tasks").size() <= 20);
    }

    @Test
    void filtersByStatusModeSessionAndCreationTime() {
        String session = newSession();
        String completed = submitIn(session, Map.of());
        String failed = submitIn(session, Map.of("context", simulate(Map.of("error", "boom"))));
        String running = submitIn(session, Map.of("mode", "complex", "context", simulate(Map.of("delay_ms", 600_000))));
        awaitStatus(completed, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        awaitStatus(failed, "TASK_STATUS_FAILED", Duration.ofSeconds(15));
        awaitStatus(running, "TASK_STATUS_RUNNING", Duration.ofSeconds(15));
        String base = "session_id=" + session;

        assertEquals(List.of(completed), page(base + "&status=TASK_STATUS_COMPLETED").getList("tasks.task_id"));
        assertEquals(List.of(failed), page(base + "&status=failed").getList("tasks.task_id"));
        assertEquals(List.of(running, failed), page(base + "&status=running,FAILED").getList("tasks.task_id"));
        assertEquals(List.of(running, completed),
                page(base + "&status=running&status=task_status_completed").getList("tasks.task_id"));
        assertEquals(List.of(), page(base + "&status=cancelled").getList("tasks.task_id"));
        assertEquals(List.of(running), page(base + "&mode=COMPLEX").getList("tasks.task_id"));
        assertEquals(List.of(failed, completed), page(base + "&mode=EXECUTION_MODE_SIMPLE").getList("tasks.task_id"));

        String createdFailed = Api.get(failed).getString("created_at");
        Instant failedAt = Instant.parse(createdFailed);
        // created_at in JSON has whole seconds; use bounds around the tasks' second
        List<String> after = page(base + "&created_after=" + failedAt.minusSeconds(3600)).getList("tasks.task_id");
        assertEquals(3, after.size());
        assertEquals(List.of(), page(base + "&created_after=" + failedAt.plusSeconds(3600)).getList("tasks.task_id"));
        assertEquals(3, authed().queryParam("session_id", session)
                .queryParam("created_before", failedAt.plusSeconds(3600).toString().replace("Z", "+00:00"))
                .get("/api/v1/tasks").then().statusCode(200).extract().jsonPath().getList("tasks.task_id").size());
        assertEquals(List.of(), page(base + "&created_before=" + failedAt.minusSeconds(3600)).getList("tasks.task_id"));

        authed().post("/api/v1/tasks/" + running + "/cancel").then().statusCode(202);
    }

    @Test
    void creationTimeBoundsAreExclusiveAndExact() {
        String session = newSession();
        String first = submitIn(session, Map.of());
        Api.sleep(30);
        Instant between = Instant.now();
        Api.sleep(30);
        String second = submitIn(session, Map.of());
        String base = "session_id=" + session;
        assertEquals(List.of(second), page(base + "&created_after=" + between).getList("tasks.task_id"));
        assertEquals(List.of(first), page(base + "&created_before=" + between).getList("tasks.task_id"));
    }

    @Test
    void listsOnlyTheCallersTenant() {
        String session = newSession();
        String mine = submitIn(session, Map.of());
        assertEquals(List.of(mine), page("session_id=" + session).getList("tasks.task_id"));
        as(Api.OTHER_TENANT_KEY).get("/api/v1/tasks?session_id=" + session).then().statusCode(200)
                .body("tasks", hasSize(0));
        List<String> theirs = as(Api.OTHER_TENANT_KEY).get("/api/v1/tasks?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("tasks.task_id");
        assertTrue(!theirs.contains(mine));
        as("sk_wrong").get("/api/v1/tasks").then().statusCode(401).body("error", equalTo("Unauthorized"));
    }

    @Test
    void badFiltersAnswer400WithAJsonError() {
        for (String query : List.of("limit=0", "limit=101", "limit=abc", "limit=-1", "status=DONE",
                "status=TASK_STATUS_UNSPECIFIED", "status=running,", "mode=fast", "created_after=yesterday",
                "created_after=2025-10-22", "created_before=2025-10-22T10:30:00", "page_token=garbage!",
                "page_token=dDE6eHg6YWJj", "page_token=czE6MTIzOmFiYw", "session_id=bad%20id")) {
            var response = authed().get("/api/v1/tasks?" + query);
            assertEquals(400, response.statusCode(), query);
            response.then().body("error", notNullValue());
        }
        authed().get("/api/v1/tasks?limit=0").then().body("error", containsString("limit"));
        authed().get("/api/v1/tasks?page_token=x").then().body("error", containsString("page_token"));
        authed().get("/api/v1/tasks?created_after=x").then().body("error", containsString("RFC 3339"));
    }

    @Test
    void idsFilterReturnsOnlyTheCallersTasksOnOnePage() {
        String session = newSession();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            mine.add(submitIn(session, Map.of()));
        }
        String theirs = as(Api.OTHER_TENANT_KEY).contentType("application/json").body(Map.of("query", "theirs"))
                .post("/api/v1/tasks").then().statusCode(202).extract().path("task_id");
        String asked = String.join(",", mine) + ",task_01UNKNOWN00000000000000000," + theirs;

        JsonPath all = page("ids=" + asked);
        assertEquals(new HashSet<>(mine), new HashSet<>(all.getList("tasks.task_id", String.class)),
                "all 25 of the caller's tasks on one page; unknown and other tenants' ids absent");
        assertEquals(null, all.getString("next_page_token"));
        assertEquals(List.of(mine.get(24), mine.get(23)),
                page("ids=" + mine.get(23) + "&ids=" + mine.get(24)).getList("tasks.task_id", String.class));
        assertEquals(1, page("ids=" + asked + "&limit=1").getList("tasks").size(), "an explicit limit still pages");

        String tooMany = String.join(",", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "task_" + i).toList());
        authed().get("/api/v1/tasks?ids=" + tooMany).then().statusCode(400)
                .body("error", equalTo("ids takes at most 100 task ids"));
        authed().get("/api/v1/tasks?ids=task_ok,bad$id").then().statusCode(400)
                .body("error", containsString("Invalid task id"));
    }
}
