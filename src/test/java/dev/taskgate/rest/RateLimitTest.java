package dev.taskgate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-key token buckets; the %test profile gives sk_test_rate_limited a burst of 3 and 6 per minute. */
@QuarkusTest
class RateLimitTest {

    private static final String LIMITED = "sk_test_rate_limited";

    @Test
    void everyApiAnswerCarriesTheHeadersAndTheFourthRequestIs429() {
        int previous = Integer.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            Response ok = as(LIMITED).get("/api/v1/tasks?limit=1");
            ok.then().statusCode(200).header("RateLimit-Limit", "3");
            int remaining = Integer.parseInt(ok.header("RateLimit-Remaining"));
            assertTrue(remaining < previous && remaining >= 0, "remaining " + remaining);
            assertTrue(Integer.parseInt(ok.header("RateLimit-Reset")) > 0);
            previous = remaining;
        }
        Response limited = as(LIMITED).get("/api/v1/tasks?limit=1");
        limited.then().statusCode(429)
                .contentType(ContentType.JSON)
                .body("error", startsWith("Rate limit exceeded"))
                .header("Retry-After", notNullValue())
                .header("RateLimit-Remaining", "0");
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 10, "one token comes back every 10 s: " + retryAfter);
        // other keys are not affected
        authed().get("/api/v1/tasks?limit=1").then().statusCode(200).header("RateLimit-Limit", notNullValue());
    }

    @Test
    void errorsCarryTheHeadersAndHealthIsExempt() {
        as("sk_nobody").get("/api/v1/tasks/task_x").then().statusCode(401)
                .header("RateLimit-Limit", notNullValue())
                .header("RateLimit-Remaining", notNullValue())
                .header("RateLimit-Reset", notNullValue());
        authed().get("/api/v1/tasks/task_missing").then().statusCode(404)
                .header("RateLimit-Remaining", notNullValue());
        Response health = RestAssured.get("/q/health/live");
        assertEquals(200, health.statusCode());
        assertNull(health.header("RateLimit-Limit"));
    }
}
