package dev.taskgate.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops the Temporal worker's warning (with its stack trace) about a workflow task the server
 * refused with {@code UnhandledCommand}: a cancel or a signal arrived while the workflow was
 * completing. That race is expected — the worker replays the workflow with the new event at once —
 * and the task's outcome is logged by Taskgate itself.
 */
@LoggingFilter(name = "temporal-races")
public final class TemporalRaceFilter implements Filter {

    static final String WORKER = "io.temporal.internal.worker.WorkflowWorker";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(WORKER.equals(record.getLoggerName()) && unhandledCommand(record.getThrown()));
    }

    static boolean unhandledCommand(Throwable thrown) {
        return thrown instanceof StatusRuntimeException e
                && e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
                && "UnhandledCommand".equals(e.getStatus().getDescription());
    }
}
