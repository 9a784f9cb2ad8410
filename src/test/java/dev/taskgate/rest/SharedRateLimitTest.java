package dev.taskgate.rest;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.taskgate.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits hold across replicas: buckets are merged in PostgreSQL's rate_limit_buckets, which
 * a second replica writes exactly as these tests do. The %test profile gives sk_test_shared_a and
 * sk_test_shared_b a burst of 3 and 6 per minute.
 */
@QuarkusTest
class SharedRateLimitTest {

    @Inject
    EntityManager em;

    private List<?> sharedTokens(String key) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select tokens from rate_limit_buckets where key_id = :id")
                .setParameter("id", ApiKeys.hash(key)).getResultList());
    }

    private void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(statement).executeUpdate());
    }

    private static int status(String key) {
        return as(key).get("/api/v1/tasks?limit=1").statusCode();
    }

    @Test
    void requestsAllowedByAnotherReplicaCountHere() {
        String key = "sk_test_shared_a";
        assertEquals(200, status(key));
        Api.eventually(Duration.ofSeconds(5), () -> assertEquals(1, sharedTokens(key).size(), "the bucket is shared"));

        // another replica lets two requests of this key through and reports them
        sql("update rate_limit_buckets set tokens = tokens - 2 where key_id = '" + ApiKeys.hash(key) + "'");

        // this replica has not heard yet, so its view still has a token; its next report brings the debt home
        assertEquals(200, status(key));
        Api.eventually(Duration.ofSeconds(5), () -> assertTrue(
                ((Number) sharedTokens(key).get(0)).doubleValue() < 0, "4 requests against a burst of 3"));
        Api.sleep(500);
        as(key).get("/api/v1/tasks?limit=1").then().statusCode(429).header("RateLimit-Remaining", "0");
    }

    @Test
    void theApiKeepsWorkingWhileTheSharedBucketsCannotBeWrittenAndCatchesUpAfter() {
        String key = "sk_test_shared_b";
        sql("alter table rate_limit_buckets add constraint no_writes check (false) not valid");
        try {
            assertEquals(200, status(key));
            assertEquals(200, status(key));
            Api.sleep(600);
            assertTrue(sharedTokens(key).isEmpty(), "nothing could be written");
            assertEquals(200, status(key), "the local bucket still decides");
        } finally {
            sql("alter table rate_limit_buckets drop constraint no_writes");
        }
        // the reports kept during the outage arrive: three requests against a burst of 3
        Api.eventually(Duration.ofSeconds(5), () -> assertEquals(1, sharedTokens(key).size()));
        double tokens = ((Number) sharedTokens(key).get(0)).doubleValue();
        assertTrue(tokens >= 0 && tokens < 0.5, "0 tokens plus a few seconds of refill: " + tokens);
        assertEquals(429, status(key));
    }
}
