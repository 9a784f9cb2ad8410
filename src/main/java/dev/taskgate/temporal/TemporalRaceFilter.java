package dev.taskgate.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops two warnings (with their stack traces) of the Temporal worker about races that are part of
 * cancelling or timing out a task, whose outcome Taskgate logs itself: a workflow task the server
 * refused with {@code UnhandledCommand} (a cancel or a signal arrived while the workflow was
 * completing; the worker replays it with the new event at once), and a model call or tool run whose
 * result came back after its workflow had ended ({@code NOT_FOUND}: nobody waits for it any more).
 */
@LoggingFilter(name = "temporal-races")
public final class TemporalRaceFilter implements Filter {

    static final String WORKER = "io.temporal.internal.worker.WorkflowWorker";
    static final String ACTIVITY_WORKER = "io.temporal.internal.worker.ActivityWorker";

    @Override
    public boolean isLoggable(LogRecord record) {
        Status status = record.getThrown() instanceof StatusRuntimeException e ? e.getStatus() : null;
        if (status == null) {
            return true;
        }
        boolean unhandledCommand = WORKER.equals(record.getLoggerName())
                && status.getCode() == Status.Code.INVALID_ARGUMENT && "UnhandledCommand".equals(status.getDescription());
        boolean resultTooLate = ACTIVITY_WORKER.equals(record.getLoggerName()) && status.getCode() == Status.Code.NOT_FOUND;
        return !(unhandledCommand || resultTooLate);
    }
}
