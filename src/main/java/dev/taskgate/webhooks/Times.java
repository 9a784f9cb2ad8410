package dev.taskgate.webhooks;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Instants of native query columns, whichever type the driver hands back. */
final class Times {

    private Times() {
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        return (Instant) value;
    }
}
