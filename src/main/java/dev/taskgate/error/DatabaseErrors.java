package dev.taskgate.error;

import java.sql.SQLException;

/**
 * What may be logged of a database failure: its kind and SQL state, never its message, which
 * quotes the statement and the values of a request.
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getClass().getSimpleName() + ", SQL state " + sql.getSQLState();
            }
        }
        return failure.getClass().getSimpleName();
    }
}
