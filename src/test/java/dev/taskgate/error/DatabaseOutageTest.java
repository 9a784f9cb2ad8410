package dev.taskgate.error;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatabaseOutageTest {

    @Test
    void anOutageIsOneWarningAndOneLineWhenItEnds() {
        String name = "dev.taskgate.error.DatabaseOutageTest.job";
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger(name).addHandler(capture);
        try {
            DatabaseOutage outage = new DatabaseOutage(Logger.getLogger(name), "webhook deliveries", "every poll");
            outage.answered();
            var refused = new IllegalStateException(new SQLException("Connection refused: 127.0.0.1:5432", "08001"));
            outage.failed("claim due deliveries", refused);
            outage.failed("claim due deliveries", refused);
            outage.answered();
            outage.answered();
        } finally {
            java.util.logging.Logger.getLogger(name).removeHandler(capture);
        }
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("WARN webhook deliveries: cannot claim due deliveries (SQLException, SQL state 08001); retrying every poll",
                lines.get(0));
        assertEquals("INFO webhook deliveries: the database answers again", lines.get(1));
    }
}
