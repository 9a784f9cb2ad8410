package dev.taskgate.support;

import dev.taskgate.config.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** A fresh embedded PostgreSQL for the test run (a real server, never an in-memory fake). */
@QuarkusTestResource(TestDatabase.class)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgresServer postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgresServer.start(Files.createTempDirectory("taskgate-test-pg"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(),
                "quarkus.datasource.username", "postgres");
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
