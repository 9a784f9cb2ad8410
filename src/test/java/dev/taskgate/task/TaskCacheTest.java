package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;
import dev.taskgate.events.TaskChanges;
import dev.taskgate.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Polls of unfinished tasks are served from memory, yet every change is seen: at once when it
 * is announced, within {@code taskgate.polling.unfinished-max-age} (1 s) when it is not.
 */
@QuarkusTest
class TaskCacheTest {

    @Inject
    TaskCache cache;

    @Inject
    TaskChanges changes;

    @Inject
    EntityManager em;

    @BeforeEach
    void listening() {
        Api.eventually(Duration.ofSeconds(10), () -> assertTrue(changes.connected(), "LISTEN connection is up"));
    }

    private void setInputTokens(String taskId, long tokens, boolean announce) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update tasks set input_tokens = :n where id = :id")
                    .setParameter("n", tokens).setParameter("id", taskId).executeUpdate();
            if (announce) {
                em.createNativeQuery("select pg_notify(:channel, :payload)")
                        .setParameter("channel", TaskChanges.CHANNEL)
                        .setParameter("payload", taskId + "|RUNNING").getSingleResult();
            }
        });
    }

    /** The task's usage.input_tokens as its GET answers it ("null" while it has no usage). */
    /** A task whose workflow is waiting in its (simulated) model call, so only the test changes its row. */
    private static String runningTask() {
        String id = Api.submit(Map.of("query", "wait", "context", Api.simulate(Map.of("delay_ms", 60_000))));
        Api.awaitStatus(id, "TASK_STATUS_RUNNING", Duration.ofSeconds(10));
        return id;
    }

    private static String inputTokens(String taskId) {
        return String.valueOf(Api.get(taskId).getString("usage.input_tokens"));
    }

    @Test
    void anAnnouncedChangeIsSeenByTheNextPollsAtOnce() {
        String id = runningTask();
        for (long tokens = 1; tokens <= 5; tokens++) {
            inputTokens(id);  // now in memory
            setInputTokens(id, tokens, true);
            String expected = String.valueOf(tokens);
            Api.eventually(Duration.ofMillis(600), () -> assertEquals(expected, inputTokens(id)));
        }
    }

    @Test
    void anUnannouncedChangeIsSeenWithinTheMaxAge() {
        String id = runningTask();
        inputTokens(id);
        setInputTokens(id, 42, false);
        Api.eventually(Duration.ofMillis(1_500), () -> assertEquals("42", inputTokens(id)));
    }

    @Test
    void aReadThatBeganBeforeAChangeWasHeardIsNotKept() {
        // only in memory: no row, so no notification of its own can interfere
        Instant now = Instant.now();
        TaskView task = new TaskView("task_RACE" + System.nanoTime(), "default", TaskStatus.RUNNING,
                ExecutionMode.SIMPLE, "q", "s", null, "", null, null, null, 60, now, now, java.util.List.of(), null, 0);
        long readStartedAt = System.nanoTime();
        cache.forget(task.id());  // a change heard while the read was in flight
        cache.remember(task, readStartedAt);
        assertTrue(cache.current("default", task.id()).isEmpty(), "a possibly stale read is not served");

        cache.remember(task, System.nanoTime());
        assertEquals(task, cache.current("default", task.id()).orElseThrow());
        TaskgateException other = assertThrows(TaskgateException.class, () -> cache.current("other", task.id()));
        assertEquals("Task not found", other.getMessage());

        cache.forget(task.id());
        assertTrue(cache.current("default", task.id()).isEmpty(), "a change drops the copy");
    }
}
