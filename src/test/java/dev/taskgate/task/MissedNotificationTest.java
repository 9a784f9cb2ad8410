package dev.taskgate.task;

import dev.taskgate.events.TaskChanges;
import dev.taskgate.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.taskgate.support.Api.authed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notifications are hints: a change made without NOTIFY is still answered, at the poll's deadline;
 * a LISTEN connection that is lost is replaced, and changes wake polls again.
 */
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

    @Test
    void aLostListenConnectionIsReplacedQuietlyAndChangesWakePollsAgain() throws Exception {
        awaitConnected(true, 5_000, "LISTEN connection up");
        PrintStream console = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // what a restart of PostgreSQL does to the connection: FATAL 57P01, then the socket closes
            Object terminated = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                            + " where datname = current_database() and query like 'LISTEN%' and pid <> pg_backend_pid()")
                    .getSingleResult());
            assertTrue(((Number) terminated).longValue() >= 1, "the LISTEN connection was found and ended");
            awaitConnected(false, 1_000, "the loss is noticed: memory is not trusted until LISTEN is back");
            awaitConnected(true, 5_000, "LISTEN connection up again");
        } finally {
            System.setErr(console);
        }
        assertEquals("", printed.toString(StandardCharsets.UTF_8), "nothing printed outside the log");

        // a change announced on the new connection ends a long poll long before its deadline
        String id = Api.submit(Map.of("query", "after the reconnect", "context", Api.simulate(Map.of("delay_ms", 3_000))));
        Api.awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        long start = System.nanoTime();
        Response answer = authed().get("/api/v1/tasks/" + id + "?wait=25");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, answer.statusCode());
        assertEquals("TASK_STATUS_COMPLETED", answer.path("status"));
        assertTrue(millis < 15_000, "woken by the announced change, not the deadline: " + millis + " ms");
    }

    /** Waits up to {@code millis} for the LISTEN connection to be {@code up} (or down). */
    private void awaitConnected(boolean up, int millis, String what) throws InterruptedException {
        for (int i = 0; i < millis / 10 && changes.connected() != up; i++) {
            Thread.sleep(10);
        }
        assertEquals(up, changes.connected(), what);
    }
}
