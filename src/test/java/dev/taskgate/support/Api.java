package dev.taskgate.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/** REST helpers for tests: authenticated requests and waiting for a task status. */
public final class Api {

    public static final String KEY = "sk_test_123456";
    public static final String OTHER_TENANT_KEY = "sk_test_other_tenant";
    public static final Set<String> TERMINAL = Set.of("TASK_STATUS_COMPLETED", "TASK_STATUS_FAILED",
            "TASK_STATUS_CANCELLED", "TASK_STATUS_TIMEOUT");

    private Api() {
    }

    public static RequestSpecification as(String key) {
        return RestAssured.given().header("X-API-Key", key);
    }

    public static RequestSpecification authed() {
        return as(KEY);
    }

    /** Submits a task and returns its id. */
    public static String submit(Map<String, Object> body) {
        return authed().contentType(ContentType.JSON).body(body)
                .post("/api/v1/tasks")
                .then().statusCode(202)
                .extract().path("task_id");
    }

    public static JsonPath get(String taskId) {
        return authed().get("/api/v1/tasks/" + taskId).then().statusCode(200).extract().jsonPath();
    }

    /** Polls until the task has {@code status}, failing after {@code within}. */
    public static JsonPath awaitStatus(String taskId, String status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonPath task;
        do {
            task = get(taskId);
            if (status.equals(task.getString("status"))) {
                return task;
            }
            if (TERMINAL.contains(task.getString("status"))) {
                fail("task " + taskId + " ended " + task.getString("status") + " (" + task.getString("error")
                        + "), expected " + status);
            }
            sleep(50);
        } while (System.nanoTime() < deadline);
        return fail("task " + taskId + " still " + task.getString("status") + " after " + within + ", expected " + status);
    }

    /** Retries {@code check} until it passes, failing with its last error after {@code within}. */
    public static void eventually(Duration within, Runnable check) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The error of a refused request: a JSON object with exactly one field, {@code error}, that leaks no internals. */
    public static String errorOf(io.restassured.response.Response response, int status) {
        org.junit.jupiter.api.Assertions.assertEquals(status, response.statusCode(), response.asString());
        org.junit.jupiter.api.Assertions.assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        Map<String, Object> body = response.jsonPath().getMap("");
        org.junit.jupiter.api.Assertions.assertEquals(1, body.size(), response.asString());
        String error = (String) body.get("error");
        org.junit.jupiter.api.Assertions.assertFalse(error.isBlank());
        org.junit.jupiter.api.Assertions.assertFalse(
                error.matches("(?s).*(\\bat [a-z]+\\.|Exception|dev\\.taskgate|com\\.fasterxml|java\\.).*"), error);
        return error;
    }

    public static Map<String, Object> simulate(Map<String, Object> simulate) {
        return Map.of("simulate", simulate);
    }
}
