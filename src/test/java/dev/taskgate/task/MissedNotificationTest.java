package dev.taskgate.task;

import dev.taskgate.events.TaskChanges;
import dev.taskgate.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.taskgate.support.Api.authed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notifications are hints: a change made without NOTIFY is still answered, at the poll's deadline. */
@QuarkusTest
class MissedNotificationTest {

    @Inject
    EntityManager em;

    @Inject
    TaskChanges changes;

    @Test
    void aChangeThatWasNeverAnnouncedIsFoundByTheDeadlineReread() throws Exception {
        // a real task waiting in its model call: nothing but the test changes its row meanwhile
        String id = Api.submit(Map.of("query", "silent", "context", Api.simulate(Map.of("delay_ms", 60_000))));
        Api.awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        long start = System.nanoTime();
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                () -> authed().get("/api/v1/tasks/" + id + "?wait=3"));
        for (int i = 0; i < 100 && changes.watchedTasks() == 0; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        assertTrue(!poll.isDone(), "the poll is waiting");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "update tasks set status = 'COMPLETED', result = 'done', updated_at = now() where id = :id")
                .setParameter("id", id).executeUpdate());

        Response answer = poll.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, answer.statusCode());
        assertEquals("TASK_STATUS_COMPLETED", answer.path("status"));
        assertTrue(millis >= 2_800, "nothing announced the change, so the deadline found it: " + millis + " ms");
    }
}
