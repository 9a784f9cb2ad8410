package dev.taskgate.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * In-process fan-out of task changes announced with PostgreSQL {@code NOTIFY} on
 * {@link #CHANNEL}: one {@code LISTEN} connection per process (a {@link PgSubscriber} that
 * reconnects), any number of per-task listeners.
 *
 * <p>Delivery is a hint, never a guarantee: a notification can be lost while the connection is
 * down, so listeners re-read the row when woken and at their own deadline. After every
 * (re)subscription all listeners are woken, which covers whatever was missed in the gap.
 *
 * <p>Listeners run on an event-loop thread and must not block.
 */
@ApplicationScoped
public class TaskChanges {

    /** The notification channel; the payload is a {@link TaskChange} ({@code <task id>|<STATUS>}). */
    public static final String CHANNEL = "taskgate_task_changes";
    /** The channel of live model output ({@link PartialOutput}); the payload is a {@link PartialText}. */
    public static final String PARTIALS = "taskgate_task_partials";

    private static final Logger LOG = Logger.getLogger(TaskChanges.class);
    private static final long MAX_RECONNECT_DELAY_MS = 5_000;

    private final Vertx vertx;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Map<String, Set<Consumer<TaskChange>>> listeners = new ConcurrentHashMap<>();
    private final Set<Consumer<TaskChange>> allTasks = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Consumer<PartialText>>> partialListeners = new ConcurrentHashMap<>();
    private volatile PgSubscriber subscriber;
    private volatile boolean connected;

    public TaskChanges(Vertx vertx,
                       @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
                       @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                       @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** A registration; {@link #close()} is idempotent. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code listener} with every change of the task announced from now on, and with a
     * {@code null} status after a reconnection (something may have been missed: re-read).
     */
    public Subscription listen(String taskId, Consumer<TaskChange> listener) {
        return register(listeners, taskId, listener);
    }

    private static <T> Subscription register(Map<String, Set<Consumer<T>>> registry, String taskId, Consumer<T> listener) {
        registry.computeIfAbsent(taskId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> registry.computeIfPresent(taskId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Calls {@code listener} with every live piece of the task's model output from now on. */
    public Subscription listenPartials(String taskId, Consumer<PartialText> listener) {
        return register(partialListeners, taskId, listener);
    }

    /** Calls {@code listener} with every change of every task (for streaming features). */
    public Subscription listenAll(Consumer<TaskChange> listener) {
        allTasks.add(listener);
        return () -> allTasks.remove(listener);
    }

    /** Whether the LISTEN connection is up now. */
    public boolean connected() {
        return connected;
    }

    /** How many tasks have at least one listener (for metrics and tests). */
    public int watchedTasks() {
        return listeners.size();
    }

    void start(@Observes StartupEvent event) {
        if (url.isEmpty()) {
            LOG.warn("quarkus.datasource.reactive.url is not set: task change notifications are off;"
                    + " long polls fall back to their deadline");
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get());
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        PgSubscriber pg = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> Math.min(MAX_RECONNECT_DELAY_MS, 100L * (1L << Math.min(retries, 6))));
        pg.channel(CHANNEL)
                .handler(this::dispatch)
                .subscribeHandler(v -> {
                    watchConnection(pg.actualConnection());
                    connected = true;
                    LOG.debugf("listening on %s", CHANNEL);
                    wakeEveryone();
                })
                .endHandler(v -> connected = false);
        pg.channel(PARTIALS).handler(this::dispatchPartial);
        pg.closeHandler(v -> {
            connected = false;
            if (subscriber == pg) {
                LOG.warn("task change notifications stopped; reconnecting");
                vertx.setTimer(MAX_RECONNECT_DELAY_MS, t -> connect(pg));
            }
        });
        subscriber = pg;
        connect(pg);
    }

    private void connect(PgSubscriber pg) {
        if (subscriber != pg) {
            return;
        }
        pg.connect().onFailure(e -> {
            LOG.warnf("could not LISTEN for task changes (%s); retrying", e.getMessage());
            vertx.setTimer(MAX_RECONNECT_DELAY_MS, t -> connect(pg));
        });
    }

    /**
     * Reports the loss of a LISTEN connection in one line; the subscriber reconnects on its own.
     * Without a handler of its own, the client prints each of the connection's failures (the
     * server's shutdown notice, then the reset) with its stack trace to the console.
     */
    private void watchConnection(PgConnection connection) {
        if (connection == null) {
            return;
        }
        AtomicBoolean lost = new AtomicBoolean();
        connection.exceptionHandler(e -> {
            connected = false;
            if (lost.compareAndSet(false, true)) {
                LOG.warnf("task change notifications lost their connection (%s); reconnecting", e.getMessage());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        PgSubscriber pg = subscriber;
        subscriber = null;
        if (pg != null) {
            pg.close();
        }
    }

    private void dispatch(String payload) {
        TaskChange change = TaskChange.parse(payload);
        if (change == null) {
            return;
        }
        Set<Consumer<TaskChange>> forTask = listeners.get(change.taskId());
        if (forTask != null) {
            forTask.forEach(listener -> safely(listener, change));
        }
        allTasks.forEach(listener -> safely(listener, change));
    }

    private void dispatchPartial(String payload) {
        PartialText partial = PartialText.parse(payload);
        Set<Consumer<PartialText>> forTask = partial == null ? null : partialListeners.get(partial.taskId());
        if (forTask != null) {
            forTask.forEach(listener -> safely(listener, partial, partial.taskId()));
        }
    }

    private void wakeEveryone() {
        listeners.forEach((taskId, set) -> {
            TaskChange unknown = new TaskChange(taskId, null);
            List.copyOf(set).forEach(listener -> safely(listener, unknown));
        });
    }

    private static void safely(Consumer<TaskChange> listener, TaskChange change) {
        safely(listener, change, change.taskId());
    }

    private static <T> void safely(Consumer<T> listener, T value, String taskId) {
        try {
            listener.accept(value);
        } catch (RuntimeException e) {
            LOG.warnf("task_id=%s change listener failed: %s", taskId, e.getMessage());
        }
    }
}
