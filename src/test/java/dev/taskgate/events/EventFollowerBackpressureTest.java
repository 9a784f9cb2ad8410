package dev.taskgate.events;

import dev.taskgate.support.Api;
import dev.taskgate.support.StoredTasks;
import dev.taskgate.task.Task;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskProgress;
import dev.taskgate.task.TaskStatus;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A stream sends the next page of events only once the client has taken the last one: a client
 * that does not read costs at most one page of memory.
 */
@QuarkusTest
class EventFollowerBackpressureTest {

    @Inject
    EventFollower follower;

    @Inject
    TaskProgress progress;

    /** A sink whose sends complete only when the test says the client has read them. */
    static final class SlowClient implements EventSink {
        final List<TaskEvent> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> unread = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public CompletionStage<?> send(TaskEvent event) {
            sent.add(event);
            CompletableFuture<Void> read = new CompletableFuture<>();
            unread.add(read);
            return read;
        }

        void readAll() {
            List<CompletableFuture<Void>> reading = List.copyOf(unread);
            unread.clear();
            reading.forEach(read -> read.complete(null));
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void interrupt(long lastSeq) {
        }

        @Override
        public boolean isClosed() {
            return false;
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsOnePage() {
        Task task = StoredTasks.insert("PAGES", TaskStatus.QUEUED, Instant.now());
        for (int i = 0; i < 449; i++) {
            progress.recordEvent(task.id, null, EventType.TOOL_RESULT, "result " + i, Map.of());
        }
        progress.finish(task.id, TaskOutcome.completed("done"));   // 451 events in all

        SlowClient client = new SlowClient();
        follower.follow(task.id, 0, false, client);
        Api.eventually(Duration.ofSeconds(5), () -> assertEquals(200, client.sent.size()));
        Api.sleep(1_500);  // a heartbeat tick and more: still one page, the client has not read it
        assertEquals(200, client.sent.size());

        client.readAll();
        Api.eventually(Duration.ofSeconds(5), () -> assertEquals(400, client.sent.size()));
        client.readAll();
        Api.eventually(Duration.ofSeconds(5), () -> assertEquals(451, client.sent.size()));
        client.readAll();
        Api.eventually(Duration.ofSeconds(5), () -> assertEquals(true, client.closed));
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 451).boxed().toList(),
                client.sent.stream().map(TaskEvent::seq).toList());
    }
}
