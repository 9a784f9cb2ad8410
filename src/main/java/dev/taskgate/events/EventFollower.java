package dev.taskgate.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import dev.taskgate.config.TaskgateConfig;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a task's events for a stream: replays what is stored after a seq, then delivers new
 * events as they are written — by any replica — until the terminal event, then closes. An idle
 * stream holds no thread and no database connection: it waits for a NOTIFY wake-up (or its
 * heartbeat tick, which also re-reads in case a notification was missed) and reads new events
 * in a short task on a small shared reader pool, one read at a time per stream, so events go out
 * in seq order, each once. A stream that asks for them also gets live {@link EventType#LLM_PARTIAL}
 * events (none are replayed: they are not stored). A piece that arrives during a read waits for
 * it, and is dropped if the read delivered its call's {@code LLM_OUTPUT} (it would come after it).
 * <p>
 * Its length is that ordering and the stream's lifecycle (wake-ups, heartbeats, shutdown), which
 * are one concern: splitting them would spread one invariant over several classes.
 */
@ApplicationScoped
@Startup
public class EventFollower {

    private static final Logger LOG = Logger.getLogger(EventFollower.class);
    private static final int PAGE = 200;

    private final EventLog log;
    private final TaskChanges changes;
    private final Vertx vertx;
    private final long heartbeatMillis;
    /**
     * Short reads of the event table run here, not on the request's context: a stream outlives
     * the request that opened it (and its CDI request context).
     */
    private final ExecutorService readers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "taskgate-event-reader");
        thread.setDaemon(true);
        return thread;
    });

    public EventFollower(EventLog log, TaskChanges changes, Vertx vertx, TaskgateConfig config, MeterRegistry registry) {
        Gauge.builder("taskgate.streams.open", active, Set::size)
                .description("Event streams (SSE and gRPC) open on this process").register(registry);
        this.log = log;
        this.changes = changes;
        this.vertx = vertx;
        this.heartbeatMillis = config.events().heartbeat().toMillis();
    }

    private final Set<Follow> active = ConcurrentHashMap.newKeySet();

    /**
     * On shutdown (readiness is already DOWN) open streams end with a resume hint instead of
     * holding the process for the whole shutdown timeout.
     */
    void interruptAll(@Observes ShutdownDelayInitiatedEvent event) {
        active.forEach(Follow::interrupt);
    }

    void stop(@Observes ShutdownEvent event) {
        active.forEach(Follow::interrupt);
        readers.shutdownNow();
    }

    public void follow(String taskId, long afterSeq, boolean partials, EventSink sink) {
        new Follow(taskId, afterSeq, partials, sink).start();
    }

    private final class Follow {
        private final String taskId;
        private final EventSink sink;
        private final boolean partials;
        private final AtomicBoolean reading = new AtomicBoolean();
        private final Queue<PartialText> live = new ConcurrentLinkedQueue<>();
        private volatile boolean more = true;
        private volatile boolean done;
        private volatile long lastSeq;
        private volatile Runnable unlisten = () -> { };
        private volatile long timer = -1;
        private volatile CompletableFuture<?> unsent;

        Follow(String taskId, long afterSeq, boolean partials, EventSink sink) {
            this.taskId = taskId;
            this.partials = partials;
            this.sink = sink;
            this.lastSeq = afterSeq;
        }

        void start() {
            active.add(this);
            timer = vertx.setPeriodic(heartbeatMillis, tick -> {
                if (sink.isClosed()) {
                    stop();
                } else {
                    try {
                        sink.heartbeat();
                    } catch (RuntimeException gone) {
                        stop();
                        return;
                    }
                    pull();
                }
            });
            TaskChanges.Subscription subscription = changes.listen(taskId, change -> pull());
            TaskChanges.Subscription live = partials ? changes.listenPartials(taskId, this::partial) : () -> { };
            unlisten = () -> {
                subscription.close();
                live.close();
            };
            pull();
        }

        /** A live piece of model output: sent now, or after the read that is running. */
        private void partial(PartialText piece) {
            if (!done) {
                live.add(piece);
                if (reading.compareAndSet(false, true)) {
                    endRead(List.of());
                }
            }
        }

        /** Sends or drops the waiting live pieces, then lets the next read or piece go. */
        private void endRead(List<String> outputs) {
            for (PartialText waiting = live.poll(); waiting != null; waiting = live.poll()) {
                PartialText piece = waiting;
                if (!done && outputs != null && outputs.stream().noneMatch(piece::sameCallAs)) {
                    send(piece.event());
                }
            }
            reading.set(false);
            if (more && !done) {
                pull();
            } else if (!live.isEmpty() && reading.compareAndSet(false, true)) {
                endRead(List.of());
            }
        }

        /**
         * Schedules a read unless one is running (a running read re-reads when it ends) or the
         * client has not taken the last page yet (the read follows when it has).
         */
        void pull() {
            more = true;
            CompletableFuture<?> sending = unsent;
            if (done || (sending != null && !sending.isDone()) || !reading.compareAndSet(false, true)) {
                return;
            }
            readers.execute(() -> {
                List<String> outputs = null;
                try {
                    outputs = drain();
                } catch (RuntimeException e) {
                    LOG.warnf("task_id=%s event stream read failed: %s", taskId, e.getMessage());
                } finally {
                    endRead(outputs);
                }
            });
        }

        /** Sends what is new; returns the payloads of the LLM_OUTPUT events it sent. */
        private List<String> drain() {
            List<String> outputs = new ArrayList<>();
            while (more && !done) {
                more = false;
                if (sink.isClosed()) {
                    stop();
                    return outputs;
                }
                List<TaskEvent> batch = log.after(taskId, lastSeq, PAGE);
                List<CompletableFuture<?>> sends = new ArrayList<>(batch.size());
                for (TaskEvent event : batch) {
                    if (event.type() == EventType.LLM_OUTPUT && event.payload() != null) {
                        outputs.add(event.payload());
                    }
                    CompletableFuture<?> sent = send(event);
                    sent.whenComplete((ok, error) -> {
                        if (error != null) {
                            stop();
                        }
                    });
                    sends.add(sent);
                    lastSeq = event.seq();
                    if (event.type().isTerminal()) {
                        stop();
                        sink.close();
                        return outputs;
                    }
                }
                CompletableFuture<Void> page = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
                if (!page.isDone()) {
                    // the client is slower than the log: read on once it has taken this page
                    more = true;
                    unsent = page;
                    page.whenComplete((ok, error) -> pull());
                    return outputs;
                }
                if (batch.size() == PAGE) {
                    more = true;
                } else if (batch.isEmpty() && log.endedBy(taskId, lastSeq)) {
                    // resumed after the terminal event: nothing more will ever come
                    stop();
                    sink.close();
                    return outputs;
                }
            }
            return outputs;
        }

        /** Sends one event; a client that has gone away ends the stream (quietly: that is how streams end). */
        private CompletableFuture<?> send(TaskEvent event) {
            try {
                return sink.send(event).toCompletableFuture();
            } catch (RuntimeException gone) {
                stop();
                return CompletableFuture.failedFuture(gone);
            }
        }

        void interrupt() {
            if (!done) {
                stop();
                sink.interrupt(lastSeq);
            }
        }

        private void stop() {
            done = true;
            active.remove(this);
            unlisten.run();
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
