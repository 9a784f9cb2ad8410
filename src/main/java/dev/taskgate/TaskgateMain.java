package dev.taskgate;

import dev.taskgate.config.EmbeddedPostgresServer;
import dev.taskgate.config.EmbeddedPostgresLifecycle;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Starts Taskgate. Without a configured datasource URL it runs in the embedded mode: a real
 * PostgreSQL from bundled binaries (data kept under {@code taskgate.data-dir}), the test key
 * {@code sk_test_123456} and the local model's simulation switches.
 */
@QuarkusMain
public final class TaskgateMain {

    TaskgateMain() { // package-private: Quarkus makes the main class a bean
    }

    public static void main(String... args) {
        Config config = ConfigProvider.getConfig();
        var jdbcUrl = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class);
        if (jdbcUrl.isPresent()) {
            setDefault(config, "quarkus.datasource.reactive.url", reactiveUrl(jdbcUrl.get()));
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(config.getOptionalValue("taskgate.data-dir", String.class).orElse(".taskgate"));
        // PostgreSQL starts in its own process while this JVM loads the app; the first migration waits for it
        int port = EmbeddedPostgresServer.freePort();
        CompletableFuture<EmbeddedPostgresServer> postgres = CompletableFuture.supplyAsync(
                () -> EmbeddedPostgresServer.start(dataDir.resolve("postgres"), true, port));
        EmbeddedPostgresLifecycle.own(postgres);
        System.setProperty("quarkus.datasource.jdbc.url", EmbeddedPostgresServer.jdbcUrl(port));
        System.setProperty("quarkus.datasource.reactive.url", EmbeddedPostgresServer.reactiveUrl(port));
        System.setProperty("quarkus.datasource.username", "postgres");
        setDefault(config, "taskgate.api-keys", "default:sk_test_123456");
        setDefault(config, "taskgate.llm.local.simulation", "true");
        // A local, single-machine mode: webhooks may go to a receiver on this machine.
        setDefault(config, "taskgate.webhooks.allow-http", "true");
        setDefault(config, "taskgate.webhooks.allow-private-networks", "true");
        // No load balancer to drain: stop at once (the 3 s delay stays for the cluster roles).
        if (System.getenv("QUARKUS_SHUTDOWN_DELAY") == null && System.getProperty("quarkus.shutdown.delay") == null) {
            System.setProperty("quarkus.shutdown.delay", "0s");
        }
        // The app's last shutdown step stops PostgreSQL. A start that fails ends the JVM in Quarkus'
        // exit handler, before any finally block here would run: stop it there as well.
        ApplicationLifecycleManager.setDefaultExitCodeHandler(exitCode -> {
            EmbeddedPostgresLifecycle.stopOwned();
            System.exit(exitCode);
        });
        Quarkus.run(args);
    }

    /**
     * The LISTEN/NOTIFY connection's URL when only the JDBC URL is configured:
     * {@code jdbc:postgresql://host:port/db?...} becomes {@code postgresql://host:port/db?...}.
     */
    static String reactiveUrl(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring("jdbc:".length()) : jdbcUrl;
    }

    private static void setDefault(Config config, String key, String value) {
        if (config.getOptionalValue(key, String.class).isEmpty()) {
            System.setProperty(key, value);
        }
    }
}
