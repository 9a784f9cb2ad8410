package dev.taskgate.config;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded PostgreSQL that the embedded mode starts beside the app. It starts while the JVM
 * loads and initialises the app (a second process, so the two overlap on a multi-core machine);
 * the first migration, the app's first use of the database, waits until it accepts connections.
 * It stops as the last step of the app's own shutdown: after the worker, the streams, the
 * schedulers and the LISTEN connection have stopped (their observers run first), so none of them
 * meets a database that went away. A JVM shutdown hook could not order itself after Quarkus' own.
 */
@Singleton
public class EmbeddedPostgresLifecycle implements FlywayConfigurationCustomizer {

    private static final AtomicReference<CompletableFuture<EmbeddedPostgresServer>> OWNED = new AtomicReference<>();

    /** The server this process is starting for the app: awaited before migrating, stopped when the app stops. */
    public static void own(CompletableFuture<EmbeddedPostgresServer> starting) {
        OWNED.set(starting);
    }

    /** Before Flyway's first connection: wait for the embedded server, or fail the start with its reason. */
    @Override
    public void customize(FluentConfiguration configuration) {
        CompletableFuture<EmbeddedPostgresServer> starting = OWNED.get();
        if (starting != null) {
            try {
                starting.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("The embedded PostgreSQL did not start: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        stopOwned();
    }

    /** Stops the server this process started (once it has started), if it still runs. */
    public static void stopOwned() {
        CompletableFuture<EmbeddedPostgresServer> starting = OWNED.getAndSet(null);
        if (starting != null) {
            starting.thenAccept(EmbeddedPostgresServer::close).exceptionally(failed -> null).join();
        }
    }
}
