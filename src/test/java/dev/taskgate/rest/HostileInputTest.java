package dev.taskgate.rest;

import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.errorOf;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input crafted to hurt: texts PostgreSQL or protobuf cannot hold, loose JSON, out-of-range
 * numbers and times, forged tokens, deep nesting, hostile model output and tool calls. Each is a
 * 4xx that names the problem, or is made harmless; none is a 500 or fails a task.
 */
@QuarkusTest
class HostileInputTest {

    private static Response post(String json) {
        return authed().contentType(ContentType.JSON).body(json).post("/api/v1/tasks");
    }

    private static Response cancel(String taskId, String json) {
        return authed().contentType(ContentType.JSON).body(json).post("/api/v1/tasks/" + taskId + "/cancel");
    }

    @Test
    void textsPostgresqlCannotHoldAreRefusedNamingTheField() {
        assertEquals("query must not contain the character U+0000", errorOf(post("{\"query\": \"a\\u0000b\"}"), 400));
        assertEquals("query must be valid Unicode (an unpaired surrogate at character 1)",
                errorOf(post("{\"query\": \"a\\ud800b\"}"), 400));
        assertEquals("model must not contain the character U+0000",
                errorOf(post("{\"query\": \"q\", \"model\": \"m\\u0000\"}"), 400));
        assertEquals("context must not contain the character U+0000",
                errorOf(post("{\"query\": \"q\", \"context\": {\"a\": \"\\u0000\"}}"), 400));
        String id = submit(Map.of("query", "slow", "context", simulate(Map.of("delay_ms", 30_000))));
        assertEquals("reason must not contain the character U+0000", errorOf(cancel(id, "{\"reason\": \"\\u0000\"}"), 400));
        assertEquals("reason is longer than 1000 characters",
                errorOf(cancel(id, "{\"reason\": \"" + "r".repeat(1001) + "\"}"), 400));
    }

    @Test
    void aQueryOfInvisibleCharactersIsEmpty() {
        assertEquals("query is required and must not be empty",
                errorOf(post("{\"query\": \"\\u00a0\\u200b\\u2060\\ufeff\\u3000\"}"), 400));
    }

    @Test
    void jsonIsReadStrictly() {
        assertEquals("Request body must be one JSON object, with nothing after it",
                errorOf(post("{\"query\": \"q\"} {\"query\": \"again\"}"), 400));
        assertEquals("Duplicate field 'query': give each field once",
                errorOf(post("{\"query\": \"q\", \"query\": \"other\"}"), 400));
        assertEquals("Invalid value for field 'timeout_seconds': expected a whole number",
                errorOf(post("{\"query\": \"q\", \"timeout_seconds\": 1.5}"), 400));
        assertEquals("Invalid value for field 'timeout_seconds': expected a whole number",
                errorOf(post("{\"query\": \"q\", \"timeout_seconds\": \"30\"}"), 400));
        assertEquals("Invalid value for field 'query': expected a text", errorOf(post("{\"query\": 42}"), 400));
        assertEquals("Invalid value for field 'timeout_seconds': expected a whole number",
                errorOf(post("{\"query\": \"q\", \"timeout_seconds\": 4294967297}"), 400));
    }

    @Test
    void cancelWithANullBodyIsACancel() {
        String id = submit(Map.of("query", "slow", "context", simulate(Map.of("delay_ms", 30_000))));
        cancel(id, "null").then().statusCode(202);
    }

    @Test
    void anEmptyIdempotencyKeyIsRefused() {
        Response response = authed().contentType(ContentType.JSON).header("Idempotency-Key", "")
                .body("{\"query\": \"q\"}").post("/api/v1/tasks");
        assertEquals("Idempotency-Key must be 1-255 printable ASCII characters", errorOf(response, 400));
    }

    @Test
    void numbersAndTimesOutOfRangeNeverReachTheDatabase() {
        assertEquals("limit must be a whole number between 1 and 100",
                errorOf(authed().get("/api/v1/tasks?limit=4294967297"), 400));
        assertEquals("limit must be a whole number between 1 and 100",
                errorOf(authed().get("/api/v1/tasks?limit=-1"), 400));
        assertEquals("created_after must be between the years 1 and 9999",
                errorOf(authed().get("/api/v1/tasks?created_after=+100000-01-01T00:00:00Z"), 400));
        assertEquals("created_before must be between the years 1 and 9999",
                errorOf(authed().get("/api/v1/tasks?created_before=-100000-01-01T00:00:00Z"), 400));
        authed().get("/api/v1/tasks?created_after=0001-01-01T00:00:00Z&created_before=9999-12-31T00:00:00Z")
                .then().statusCode(200);
    }

    @Test
    void aForgedPageTokenIsRefused() {
        for (int i = 0; i < 3; i++) {
            submit(Map.of("query", "page"));
        }
        String token = authed().get("/api/v1/tasks?limit=1").then().statusCode(200).extract().path("next_page_token");
        authed().get("/api/v1/tasks?limit=1&page_token=" + token).then().statusCode(200);
        String payload = token.substring(0, token.indexOf('.'));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(payload)).replaceFirst(":\\d+:", ":99999999999999999:").getBytes())
                + token.substring(token.indexOf('.'));
        assertEquals("Invalid page_token: pass the next_page_token of a previous answer unchanged",
                errorOf(authed().get("/api/v1/tasks?limit=1&page_token=" + forged), 400));
    }

    /** Overlong forms, encoded surrogates and stray bytes: Jackson alone would take the first two as characters. */
    @Test
    void aBodyThatIsNotUtf8IsRefused() {
        byte[][] invalid = {
                {(byte) 0xC0, (byte) 0xAF},                           // overlong '/'
                {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},              // overlong '/', three bytes
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80},              // an encoded surrogate
                {(byte) 0xC1, (byte) 0x81},                           // overlong 'A'
                {(byte) 0xFF},
                {(byte) 0xE2, (byte) 0x82}};                          // cut short
        for (byte[] bytes : invalid) {
            byte[] head = "{\"query\": \"a".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] tail = "b\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + bytes.length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(bytes, 0, body, head.length, bytes.length);
            System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
            assertEquals("Request body is not valid UTF-8",
                    errorOf(authed().contentType(ContentType.JSON).body(body).post("/api/v1/tasks"), 400),
                    java.util.HexFormat.of().formatHex(bytes));
        }
        assertEquals(202, post("{\"query\": \"caf\u00e9 \ud83d\ude00\"}").statusCode());
    }

    @Test
    void aDeeplyNestedContextIsRefused() {
        String deep = "{\"a\": ".repeat(40) + "1" + "}".repeat(40);
        assertEquals("context is nested more than 32 levels deep",
                errorOf(post("{\"query\": \"q\", \"context\": " + deep + "}"), 400));
    }

    @Test
    void modelOutputOfAnyDepthIsStoredAndShown() {
        String deep = "{\"a\": ".repeat(200) + "1" + "}".repeat(200);
        String nested = submit(Map.of("query", "deep", "context", simulate(Map.of("result", deep))));
        JsonPath done = awaitStatus(nested, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
        assertEquals(deep, done.getString("result"));
        assertEquals(deep, done.getString("response.result"), "too deep for an object: shown as text");

    }

    @Test
    void aCalculatorPowerTowerEndsQuicklyWithAShortAnswer() {
        long started = System.nanoTime();
        String id = submit(Map.of("query", "What is (10^1000)^1000?", "mode", "standard"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(20));
        assertTrue(done.getString("result").contains("1E+1000000"), done.getString("result"));
        assertTrue(done.getString("result").length() < 300);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10);
    }

    @Test
    void twoDifferentKeysInOneRequestAreRefused() {
        RestAssured.given().header("X-API-Key", Api.KEY).header("Authorization", "Bearer " + Api.OTHER_TENANT_KEY)
                .get("/api/v1/tasks").then().statusCode(401);
        RestAssured.given().header("X-API-Key", Api.KEY).header("Authorization", "Bearer " + Api.KEY)
                .get("/api/v1/tasks").then().statusCode(200);
    }

    @Test
    void theDoorIsCheckedBeforeTheRoom() {
        assertEquals("Unauthorized", errorOf(RestAssured.given().delete("/api/v1/tasks"), 401));
        assertEquals("Unauthorized", errorOf(RestAssured.given().contentType(ContentType.TEXT).body("x")
                .post("/api/v1/tasks"), 401));
        assertEquals("Unauthorized", errorOf(RestAssured.given().accept("text/html").get("/api/v1/tasks"), 401));
    }

    @Test
    void sizeLimitsAnswerWithTheJsonError() {
        assertEquals("Request line too long", errorOf(authed().get("/api/v1/tasks/" + "a".repeat(5000)), 414));
        assertEquals("Request headers too large", errorOf(authed().header("X-Big", "b".repeat(30_000))
                .get("/api/v1/tasks"), 431));
    }

    @Test
    void metricsNameRoutesNeverRawPaths() {
        RestAssured.given().get("/api/v1/tasks/task_RAWID123").then().statusCode(401);
        RestAssured.given().get("/api/v9/nowhere/RAWPATH456").then().statusCode(401);
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains("RAWID123"), "task ids are not metric labels");
        assertFalse(metrics.contains("RAWPATH456"), "unknown paths are not metric labels");
        assertTrue(metrics.contains("uri=\"/api/v1/tasks/{id}\""));
    }

    @Test
    void aBodyInAnotherTransferCodingIsRefusedAtOnce() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(5_000); // the body would otherwise only end when the client closes
            socket.getOutputStream().write(("POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + Api.KEY
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.endsWith("{\"error\":\"Transfer-Encoding other than chunked is not supported:"
                    + " send the body as is or chunked\"}"), answer);
        }
    }
}
