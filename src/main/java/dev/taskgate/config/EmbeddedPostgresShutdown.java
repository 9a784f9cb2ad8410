package dev.taskgate.config;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops the embedded PostgreSQL that the embedded mode started before the app, as the last step of
 * the app's own shutdown: after the worker, the streams, the schedulers and the LISTEN connection
 * have stopped (their observers run first), so none of them meets a database that went away. A JVM
 * shutdown hook could not order itself after Quarkus' own.
 */
@ApplicationScoped
public class EmbeddedPostgresShutdown {

    private static final AtomicReference<EmbeddedPostgresServer> OWNED = new AtomicReference<>();

    /** The server this process started for the app, stopped when the app stops. */
    public static void stopWithTheApp(EmbeddedPostgresServer server) {
        OWNED.set(server);
    }

    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        EmbeddedPostgresServer server = OWNED.getAndSet(null);
        if (server != null) {
            server.close();
        }
    }
}
