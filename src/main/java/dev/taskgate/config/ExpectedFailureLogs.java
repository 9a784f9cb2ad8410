package dev.taskgate.config;

import dev.taskgate.error.DatabaseErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.LoggingFilter;

import java.sql.SQLException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Keeps failures that are part of normal operation to what a person needs, on every log handler:
 * <ul>
 * <li>Drops two warnings (with their stack traces) of the Temporal worker about races that are part
 * of cancelling or timing out a task, whose outcome Taskgate logs itself: a workflow task the server
 * refused with {@code UnhandledCommand} (a cancel or a signal arrived while the workflow was
 * completing; the worker replays it with the new event at once), and a model call or tool run whose
 * result came back after its workflow had ended ({@code NOT_FOUND}: nobody waits for it any more).</li>
 * <li>Shortens any record caused by the database being unreachable (SQL state class 08, or an
 * administrator's shutdown, 57P01–57P03, also when a failed rollback suppressed it) to its line
 * plus the failure's kind and SQL state: during a restart of PostgreSQL the retried steps, the
 * pool and the transaction manager each report every attempt, and a stack trace per attempt says
 * nothing the first line does not.</li>
 * </ul>
 */
@LoggingFilter(name = "expected-failures")
public final class ExpectedFailureLogs implements Filter {

    static final String WORKER = "io.temporal.internal.worker.WorkflowWorker";
    static final String ACTIVITY_WORKER = "io.temporal.internal.worker.ActivityWorker";

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown instanceof StatusRuntimeException e) {
            Status status = e.getStatus();
            boolean unhandledCommand = WORKER.equals(record.getLoggerName())
                    && status.getCode() == Status.Code.INVALID_ARGUMENT && "UnhandledCommand".equals(status.getDescription());
            boolean resultTooLate = ACTIVITY_WORKER.equals(record.getLoggerName()) && status.getCode() == Status.Code.NOT_FOUND;
            return !(unhandledCommand || resultTooLate);
        }
        SQLException unreachable = thrown == null ? null : databaseUnreachable(thrown, 0);
        if (unreachable != null) {
            record.setThrown(null);
            record.setMessage(record.getMessage() + " [database unavailable: " + DatabaseErrors.describe(unreachable) + "]");
        }
        return true;
    }

    /**
     * The driver's error that says the database is gone, found in the failure or anything behind
     * it — its causes, and the failures suppressed along the way (a rollback that failed keeps the
     * driver's error there) — or null.
     */
    private static SQLException databaseUnreachable(Throwable failure, int depth) {
        for (Throwable cause = failure; cause != null && depth < 20; cause = cause.getCause(), depth++) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return sql;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                SQLException found = databaseUnreachable(suppressed, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
