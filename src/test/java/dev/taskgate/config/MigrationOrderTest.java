package dev.taskgate.config;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * This branch numbers its migration V3 while another adds V2: a database already migrated to V3
 * must still take V2 when it arrives. That needs {@code quarkus.flyway.out-of-order=true}.
 */
class MigrationOrderTest {

    @Test
    void aDatabaseAtV3StillAppliesALaterV2() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        assertEquals("true", properties.getProperty("quarkus.flyway.out-of-order"));

        Path scripts = Files.createTempDirectory("taskgate-migrations");
        for (String name : new String[] {"V1__tasks_and_api_keys.sql", "V3__listing_idempotency.sql"}) {
            try (InputStream in = getClass().getResourceAsStream("/db/migration/" + name)) {
                Files.copy(in, scripts.resolve(name));
            }
        }
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(
                Files.createTempDirectory("taskgate-migration-pg"), false)) {
            flyway(postgres, scripts, true).migrate();
            Files.writeString(scripts.resolve("V2__from_another_branch.sql"), "CREATE TABLE other_branch (id INT);");

            assertThrows(RuntimeException.class, () -> flyway(postgres, scripts, false).migrate(),
                    "in order only, the late V2 is refused");
            flyway(postgres, scripts, true).migrate();
            MigrationInfo[] applied = flyway(postgres, scripts, true).info().applied();
            assertEquals("[1, 3, 2]", Arrays.toString(Arrays.stream(applied)
                    .map(m -> m.getVersion().getVersion()).toArray()));
        }
    }

    private static Flyway flyway(EmbeddedPostgresServer postgres, Path scripts, boolean outOfOrder) {
        return Flyway.configure()
                .dataSource(postgres.jdbcUrl(), "postgres", null)
                .locations("filesystem:" + scripts)
                .outOfOrder(outOfOrder)
                .load();
    }
}
