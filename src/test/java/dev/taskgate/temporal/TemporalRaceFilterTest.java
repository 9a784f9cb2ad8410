package dev.taskgate.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemporalRaceFilterTest {

    private final TemporalRaceFilter filter = new TemporalRaceFilter();

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord record = new LogRecord(Level.WARNING, "Failure while reporting workflow progress to the server.");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }

    @Test
    void aCompletionRefusedForANewCancelOrSignalIsNotLogged() {
        var refused = new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("UnhandledCommand"));
        assertFalse(filter.isLoggable(record(TemporalRaceFilter.WORKER, refused)));
    }

    @Test
    void aResultReportedAfterItsWorkflowEndedIsNotLogged() {
        var gone = new StatusRuntimeException(Status.NOT_FOUND.withDescription("Completed workflow"));
        assertFalse(filter.isLoggable(record(TemporalRaceFilter.ACTIVITY_WORKER, gone)));
        assertTrue(filter.isLoggable(record(TemporalRaceFilter.ACTIVITY_WORKER,
                new StatusRuntimeException(Status.UNAVAILABLE.withDescription("connection refused")))));
    }

    @Test
    void everyOtherWorkerFailureIsStillLogged() {
        var unavailable = new StatusRuntimeException(Status.UNAVAILABLE.withDescription("connection refused"));
        var otherInvalid = new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("bad history"));
        assertTrue(filter.isLoggable(record(TemporalRaceFilter.WORKER, unavailable)));
        assertTrue(filter.isLoggable(record(TemporalRaceFilter.WORKER, otherInvalid)));
        assertTrue(filter.isLoggable(record(TemporalRaceFilter.WORKER, null)));
        assertTrue(filter.isLoggable(record("dev.taskgate.Anything",
                new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("UnhandledCommand")))));
    }
}
