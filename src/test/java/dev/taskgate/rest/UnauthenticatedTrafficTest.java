package dev.taskgate.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.taskgate.support.Api.errorOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests without a valid key cost their sender's address, before any key lookup: made-up keys
 * get no buckets (and no rows) of their own, so rotating them buys nothing.
 */
@QuarkusTest
@TestProfile(UnauthenticatedTrafficTest.SmallAddressBuckets.class)
class UnauthenticatedTrafficTest {

    public static class SmallAddressBuckets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("taskgate.rate-limit.unauthenticated-burst", "5",
                    "taskgate.rate-limit.unauthenticated-requests-per-minute", "1",
                    "taskgate.rate-limit.sync-interval", "100ms");
        }
    }

    @Inject
    EntityManager em;

    @Test
    void rotatingMadeUpKeysIsLimitedPerAddress() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(RestAssured.given().header("X-API-Key", "sk_made_up_" + i).get("/api/v1/tasks").statusCode());
        }
        assertEquals(List.of(401, 401, 401, 401, 401, 429, 429, 429), statuses);
        assertTrue(errorOf(RestAssured.given().get("/api/v1/tasks"), 429).startsWith("Rate limit exceeded"));

        dev.taskgate.support.Api.sleep(Duration.ofMillis(500).toMillis());
        List<?> buckets = QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select key_id from rate_limit_buckets").getResultList());
        assertEquals(List.of("address:127.0.0.1"), buckets, "one bucket for the address, none for the made-up keys");
    }
}
