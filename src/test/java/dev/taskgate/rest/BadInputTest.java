package dev.taskgate.rest;

import dev.taskgate.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.taskgate.support.Api.authed;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad request gets a 4xx with a JSON error that says what is wrong, never a 500 or a stack trace. */
@QuarkusTest
class BadInputTest {

    private static Response post(String json) {
        return authed().contentType(ContentType.JSON).body(json).post("/api/v1/tasks");
    }

    private static String errorOf(Response response, int status) {
        return Api.errorOf(response, status);
    }

    @Test
    void missingQuery() {
        assertEquals("query is required and must not be empty", errorOf(post("{\"mode\": \"simple\"}"), 400));
    }

    @Test
    void emptyQuery() {
        assertEquals("query is required and must not be empty", errorOf(post("{\"query\": \"   \"}"), 400));
    }

    @Test
    void oversizedQuery() {
        String query = "x".repeat(32 * 1024 + 1);
        assertEquals("query is 32769 bytes; the limit is 32768 bytes",
                errorOf(post("{\"query\": \"" + query + "\"}"), 413));
    }

    @Test
    void oversizedBody() {
        String context = "y".repeat(2 * 1024 * 1024);
        String error = errorOf(post("{\"query\": \"q\", \"context\": {\"blob\": \"" + context + "\"}}"), 413);
        assertEquals("Request body too large", error);
    }

    @Test
    void malformedJson() {
        assertTrue(errorOf(post("{\"query\": \"q\""), 400).startsWith("Malformed JSON"));
        assertTrue(errorOf(post("not json"), 400).startsWith("Malformed JSON"));
    }

    @Test
    void bodyThatIsNotAnObject() {
        assertEquals("Request body must be a JSON object", errorOf(post("[1, 2]"), 400));
    }

    @Test
    void emptyBody() {
        String error = errorOf(post(""), 400);
        assertTrue(error.contains("body"), error);
    }

    @Test
    void wrongFieldType() {
        assertEquals("Invalid value for field 'timeout_seconds': expected a whole number",
                errorOf(post("{\"query\": \"q\", \"timeout_seconds\": \"soon\"}"), 400));
        assertEquals("Invalid value for field 'context': expected a JSON object",
                errorOf(post("{\"query\": \"q\", \"context\": \"text\"}"), 400));
    }

    @Test
    void wrongContentType() {
        Response response = authed().contentType(ContentType.TEXT).body("query=hello").post("/api/v1/tasks");
        assertEquals("Unsupported content type: send application/json", errorOf(response, 415));
    }

    @Test
    void unknownMode() {
        assertEquals("Unknown mode 'turbo': expected one of simple, standard, complex (or EXECUTION_MODE_SIMPLE, ...)",
                errorOf(post("{\"query\": \"q\", \"mode\": \"turbo\"}"), 400));
    }

    @Test
    void modeAcceptsBothSpellings() {
        post("{\"query\": \"q\", \"mode\": \"Complex\"}").then().statusCode(202)
                .body("mode", equalTo("EXECUTION_MODE_COMPLEX"));
        post("{\"query\": \"q\", \"mode\": \"EXECUTION_MODE_STANDARD\"}").then().statusCode(202)
                .body("mode", equalTo("EXECUTION_MODE_STANDARD"));
    }

    @Test
    void negativeZeroAndHugeTimeouts() {
        for (String timeout : new String[] {"-5", "0", "3601", "99999999999999", "1e40"}) {
            String error = errorOf(post("{\"query\": \"q\", \"timeout_seconds\": " + timeout + "}"), 400);
            assertTrue(error.contains("timeout_seconds"), timeout + " -> " + error);
        }
    }

    @Test
    void badSessionId() {
        String error = errorOf(post("{\"query\": \"q\", \"session_id\": \"a b/c\"}"), 400);
        assertTrue(error.startsWith("Invalid session_id"), error);
    }

    @Test
    void taskIdTooLongOrWithOddCharacters() {
        String invalid = "Invalid task id: expected 1-64 characters from A-Z, a-z, 0-9, '_' and '-'";
        assertEquals(invalid, errorOf(authed().get("/api/v1/tasks/" + "t".repeat(65)), 400));
        assertEquals(invalid, errorOf(authed().get("/api/v1/tasks/task%20abc"), 400));
        assertEquals(invalid, errorOf(authed().get("/api/v1/tasks/task;drop"), 400));
        assertEquals(invalid, errorOf(authed().get("/api/v1/tasks/%E2%9C%93"), 400));
        assertEquals(invalid, errorOf(authed().contentType(ContentType.JSON).body("{}")
                .post("/api/v1/tasks/" + "t".repeat(65) + "/cancel"), 400));
    }

    @Test
    void unknownTaskIsTheDocumented404() {
        authed().get("/api/v1/tasks/task_abc123").then().statusCode(404)
                .header("Content-Type", containsString("application/json"))
                .body(equalTo("{\"error\":\"Task not found\"}"));
    }

    @Test
    void missingKeyIsTheDocumented401() {
        RestAssured.given().get("/api/v1/tasks/task_abc123").then().statusCode(401)
                .body(equalTo("{\"error\":\"Unauthorized\"}"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"query\": \"q\"}").post("/api/v1/tasks")
                .then().statusCode(401).body(equalTo("{\"error\":\"Unauthorized\"}"));
    }

    @Test
    void wrongKeyIsTheDocumented401() {
        RestAssured.given().header("X-API-Key", "sk_test_wrong").get("/api/v1/tasks/task_abc123")
                .then().statusCode(401).body(equalTo("{\"error\":\"Unauthorized\"}"));
        RestAssured.given().header("Authorization", "Bearer sk_test_wrong").get("/api/v1/tasks/task_abc123")
                .then().statusCode(401).body(equalTo("{\"error\":\"Unauthorized\"}"));
        RestAssured.given().header("X-API-Key", "k".repeat(10_000)).get("/api/v1/tasks/task_abc123")
                .then().statusCode(401).body(equalTo("{\"error\":\"Unauthorized\"}"));
    }

    @Test
    void bearerTokenIsAccepted() {
        RestAssured.given().header("Authorization", "Bearer sk_test_123456").get("/api/v1/tasks/task_abc123")
                .then().statusCode(404);
    }

    @Test
    void unknownPathAndMethod() {
        assertEquals("Not found", errorOf(authed().get("/api/v1/nothing-here"), 404));
        assertEquals("Method not allowed", errorOf(authed().delete("/api/v1/tasks/task_abc123"), 405));
    }
}
