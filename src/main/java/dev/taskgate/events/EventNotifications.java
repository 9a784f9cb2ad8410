package dev.taskgate.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code LISTEN taskgate_events} connection per process, fanned out in memory to the
 * listeners of each task. Notifications are only a wake-up call: listeners always read what
 * is new from the event table, and poll it on their own timer too, so a notification lost in a
 * reconnect costs latency, never an event.
 */
@ApplicationScoped
public class EventNotifications {

    private static final Logger LOG = Logger.getLogger(EventNotifications.class);

    private final Map<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final String jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private PgSubscriber subscriber;

    public EventNotifications(Vertx vertx, MeterRegistry registry,
                              @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                              @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                              @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        Gauge.builder("taskgate.streams.open", this, EventNotifications::listenerCount)
                .description("Open event streams and waiting long polls on this process").register(registry);
    }

    void start(@Observes StartupEvent event) {
        PgConnectOptions options = PgConnectOptions.fromUri(jdbcUrl.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", ""));
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> 1_000L);
        subscriber.channel(EventLog.CHANNEL).handler(this::wake);
        subscriber.closeHandler(v -> LOG.warn("LISTEN connection lost; reconnecting (streams poll meanwhile)"));
        subscriber.connect().onFailure(e -> LOG.warnf("LISTEN connection failed: %s", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /** Calls {@code listener} (on an event-loop thread; it must not block) when the task has new events. */
    public Runnable listen(String taskId, Runnable listener) {
        listeners.computeIfAbsent(taskId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(taskId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    public int listenerCount() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    private void wake(String taskId) {
        Set<Runnable> waiting = listeners.get(taskId);
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }
}
