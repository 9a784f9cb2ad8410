package dev.taskgate.config;

import dev.taskgate.error.DatabaseErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.LoggingFilter;

import java.sql.SQLException;
import java.util.function.Function;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Keeps failures that are part of normal operation to what a person needs, on every log handler:
 * <ul>
 * <li>Drops two warnings (with their stack traces) of the Temporal worker about races that are part
 * of cancelling or timing out a task, whose outcome Taskgate logs itself: a workflow task the server
 * refused with {@code UnhandledCommand} (a cancel or a signal arrived while the workflow was
 * completing; the worker replays it with the new event at once), and a workflow task, model call or
 * tool run whose result came back after its workflow run had ended or was run again from its stored
 * input ({@code NOT_FOUND}: nobody waits for it any more; the reconciler logs the restart).</li>
 * <li>Shortens any record caused by the database being unreachable (SQL state class 08, or an
 * administrator's shutdown, 57P01–57P03, also when a failed rollback suppressed it) to its line
 * plus the failure's kind and SQL state: during a restart of PostgreSQL the retried steps, the
 * pool and the transaction manager each report every attempt, and a stack trace per attempt says
 * nothing the first line does not.</li>
 * <li>Shortens a record of the Temporal SDK caused by the Temporal service being unreachable (a gRPC
 * {@code UNAVAILABLE}, or the {@code CANCELLED} or {@code UNKNOWN: channel closed} of a connection
 * that went away) to its line plus the gRPC status: while Temporal restarts, every poller reports
 * every retry.</li>
 * </ul>
 */
@LoggingFilter(name = "expected-failures")
public final class ExpectedFailureLogs implements Filter {

    static final String WORKER = "io.temporal.internal.worker.WorkflowWorker";
    static final String ACTIVITY_WORKER = "io.temporal.internal.worker.ActivityWorker";
    private static final int MAX_DEPTH = 20;

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown instanceof StatusRuntimeException e) {
            Status status = e.getStatus();
            boolean unhandledCommand = WORKER.equals(record.getLoggerName())
                    && status.getCode() == Status.Code.INVALID_ARGUMENT && "UnhandledCommand".equals(status.getDescription());
            boolean resultTooLate = (ACTIVITY_WORKER.equals(record.getLoggerName()) || WORKER.equals(record.getLoggerName()))
                    && status.getCode() == Status.Code.NOT_FOUND;
            if (unhandledCommand || resultTooLate) {
                return false;
            }
        }
        if (thrown == null) {
            return true;
        }
        SQLException database = behind(thrown, ExpectedFailureLogs::databaseUnreachable, 0);
        if (database != null) {
            shorten(record, "database unavailable: " + DatabaseErrors.describe(database));
            return true;
        }
        Status temporal = record.getLoggerName() != null && record.getLoggerName().startsWith("io.temporal.")
                ? behind(thrown, ExpectedFailureLogs::connectionLost, 0) : null;
        if (temporal != null) {
            shorten(record, "Temporal unavailable: " + temporal.getCode()
                    + (temporal.getDescription() == null ? "" : " " + temporal.getDescription()));
        }
        return true;
    }

    private static void shorten(LogRecord record, String why) {
        record.setThrown(null);
        record.setMessage(record.getMessage() + " [" + why + "]");
    }

    /** The driver's error that says the database is gone, or null. */
    private static SQLException databaseUnreachable(Throwable failure) {
        return failure instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]")) ? sql : null;
    }

    /** The gRPC status of a call whose connection to the service went away, or null. */
    private static Status connectionLost(Throwable failure) {
        if (!(failure instanceof StatusRuntimeException e)) {
            return null;
        }
        Status status = e.getStatus();
        boolean lost = switch (status.getCode()) {
            case UNAVAILABLE, CANCELLED -> true;
            case UNKNOWN -> "channel closed".equals(status.getDescription());
            default -> false;
        };
        return lost ? status : null;
    }

    /**
     * What {@code match} finds in the failure or anything behind it — its causes, and the failures
     * suppressed along the way (a rollback that failed keeps the driver's error there) — or null.
     */
    private static <T> T behind(Throwable failure, Function<Throwable, T> match, int depth) {
        for (Throwable cause = failure; cause != null && depth < MAX_DEPTH; cause = cause.getCause(), depth++) {
            T found = match.apply(cause);
            if (found != null) {
                return found;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                found = behind(suppressed, match, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
