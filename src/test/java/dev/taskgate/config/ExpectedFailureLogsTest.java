package dev.taskgate.config;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import javax.transaction.xa.XAException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectedFailureLogsTest {

    private final ExpectedFailureLogs filter = new ExpectedFailureLogs();

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord record = new LogRecord(Level.WARNING, "Failure while reporting workflow progress to the server.");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }

    @Test
    void aCompletionRefusedForANewCancelOrSignalIsNotLogged() {
        var refused = new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("UnhandledCommand"));
        assertFalse(filter.isLoggable(record(ExpectedFailureLogs.WORKER, refused)));
    }

    @Test
    void aResultReportedAfterItsWorkflowEndedIsNotLogged() {
        var gone = new StatusRuntimeException(Status.NOT_FOUND.withDescription("Completed workflow"));
        assertFalse(filter.isLoggable(record(ExpectedFailureLogs.ACTIVITY_WORKER, gone)));
        // a workflow task of a run that was run again from its stored input, or that a restarted server forgot
        assertFalse(filter.isLoggable(record(ExpectedFailureLogs.WORKER,
                new StatusRuntimeException(Status.NOT_FOUND.withDescription("Execution not found in mutable state")))));
        assertTrue(filter.isLoggable(record(ExpectedFailureLogs.ACTIVITY_WORKER,
                new StatusRuntimeException(Status.UNAVAILABLE.withDescription("connection refused")))));
    }

    @Test
    void everyOtherWorkerFailureIsStillLogged() {
        var unavailable = new StatusRuntimeException(Status.UNAVAILABLE.withDescription("connection refused"));
        var otherInvalid = new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("bad history"));
        assertTrue(filter.isLoggable(record(ExpectedFailureLogs.WORKER, unavailable)));
        LogRecord invalid = record(ExpectedFailureLogs.WORKER, otherInvalid);
        assertTrue(filter.isLoggable(invalid));
        assertNotNull(invalid.getThrown());
        assertTrue(filter.isLoggable(record(ExpectedFailureLogs.WORKER, null)));
        assertTrue(filter.isLoggable(record("dev.taskgate.Anything",
                new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("UnhandledCommand")))));
    }

    @Test
    void aFailureOfAnUnreachableDatabaseIsOneLineWithItsSqlState() {
        var refused = new IllegalStateException("could not finish task",
                new RuntimeException(new SQLException("Connection to 127.0.0.1:5432 refused", "08001")));
        LogRecord record = record("io.temporal.internal.activity.ActivityTaskExecutors$ActivityTaskExecutor", refused);
        assertTrue(filter.isLoggable(record));
        assertNull(record.getThrown());
        assertEquals("Failure while reporting workflow progress to the server. [database unavailable: SQLException, SQL state 08001]",
                record.getMessage());

        LogRecord shutdown = record("com.arjuna.ats.jta", new SQLException("terminating connection due to administrator command", "57P01"));
        assertTrue(filter.isLoggable(shutdown));
        assertNull(shutdown.getThrown());
    }

    @Test
    void aRollbackThatFailedBecauseTheDatabaseWentAwayIsOneLine() {
        // a local activity's transaction: the commit failed, and the driver's error is suppressed in the rollback
        var driver = new XAException("Error trying to transactionCommit local transaction");
        driver.initCause(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        var rollback = new Exception("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(driver);
        LogRecord record = record("io.temporal.internal.activity.ActivityTaskExecutors$ActivityTaskExecutor",
                new IllegalStateException("jakarta.transaction.RollbackException", rollback));
        assertTrue(filter.isLoggable(record));
        assertNull(record.getThrown());
        assertEquals("Failure while reporting workflow progress to the server. [database unavailable: SQLException, SQL state 57P01]",
                record.getMessage());
    }

    @Test
    void aLostConnectionToTemporalIsOneLineWithItsStatus() {
        // what a poller logs while the Temporal service restarts
        var refused = new StatusRuntimeException(Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new java.net.ConnectException("Connection refused")));
        LogRecord poller = record("io.temporal.internal.worker.BasePoller", refused);
        assertTrue(filter.isLoggable(poller));
        assertNull(poller.getThrown());
        assertEquals("Failure while reporting workflow progress to the server. [Temporal unavailable: UNAVAILABLE io exception]",
                poller.getMessage());

        var closed = new StatusRuntimeException(Status.CANCELLED.withDescription("RST_STREAM closed stream. HTTP/2 error code: CANCEL"));
        LogRecord shutdown = record("io.temporal.internal.worker.ShutdownManager", new IllegalStateException("poll failed", closed));
        assertTrue(filter.isLoggable(shutdown));
        assertNull(shutdown.getThrown());
        assertTrue(shutdown.getMessage().endsWith("[Temporal unavailable: CANCELLED RST_STREAM closed stream. HTTP/2 error code: CANCEL]"));

        LogRecord dropped = record("io.temporal.internal.worker.BasePoller",
                new StatusRuntimeException(Status.UNKNOWN.withDescription("channel closed")));
        assertTrue(filter.isLoggable(dropped));
        assertNull(dropped.getThrown());
    }

    @Test
    void otherServicesAndOtherTemporalFailuresKeepTheirStackTrace() {
        var unavailable = new StatusRuntimeException(Status.UNAVAILABLE.withDescription("io exception"));
        LogRecord ours = record("dev.taskgate.Anything", unavailable);
        assertTrue(filter.isLoggable(ours));
        assertNotNull(ours.getThrown());
        for (Status other : List.of(Status.INTERNAL.withDescription("bug"), Status.UNKNOWN.withDescription("bug"))) {
            LogRecord internal = record("io.temporal.internal.worker.BasePoller", new StatusRuntimeException(other));
            assertTrue(filter.isLoggable(internal));
            assertNotNull(internal.getThrown());
        }
    }

    @Test
    void otherDatabaseErrorsKeepTheirStackTrace() {
        LogRecord record = record("dev.taskgate.Anything", new SQLException("duplicate key", "23505"));
        assertTrue(filter.isLoggable(record));
        assertNotNull(record.getThrown());
    }
}
