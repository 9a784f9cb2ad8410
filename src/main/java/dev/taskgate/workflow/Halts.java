package dev.taskgate.workflow;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Where a task waits for a person: a resume, or a decision on an approval. The row in PostgreSQL
 * says when the wait is over; the workflow reads it again whenever it is told the row changed (a
 * signal) and at least every {@link #RECHECK}, so a lost signal costs minutes, never the task.
 * While any step waits, the task's deadline stands still; each wait ends after the task's
 * approval timeout with {@link #WAIT_TIMEOUT}.
 */
final class Halts {

    /** The failure type of a wait that outlived the approval timeout; the task ends with TIMEOUT. */
    static final String WAIT_TIMEOUT = "TaskgateWaitTimeout";
    static final Duration RECHECK = Duration.ofMinutes(5);

    private final Duration limit;
    private int changes;
    private int waiting;

    Halts(Duration limit) {
        this.limit = limit;
    }

    /** The task's row changed: waiting steps read it again. */
    void changed() {
        changes++;
    }

    /** Whether some step is waiting now (the deadline stands still meanwhile). */
    boolean waiting() {
        return waiting > 0;
    }

    /**
     * Reads {@code check} until {@code done} accepts its value, waiting for a change in between;
     * fails with {@link #WAIT_TIMEOUT} and {@code timeoutMessage} once the wait outlives the limit.
     */
    <T> T until(Supplier<T> check, Predicate<T> done, String timeoutMessage) {
        return until(check.get(), check, done, timeoutMessage);
    }

    /** As {@link #until(Supplier, Predicate, String)}, starting from {@code value}, just read. */
    <T> T until(T value, Supplier<T> check, Predicate<T> done, String timeoutMessage) {
        if (done.test(value)) {
            return value;
        }
        waiting++;
        try {
            long started = Workflow.currentTimeMillis();
            while (true) {
                Duration left = limit.minusMillis(Workflow.currentTimeMillis() - started);
                if (left.isNegative() || left.isZero()) {
                    throw ApplicationFailure.newNonRetryableFailure(timeoutMessage, WAIT_TIMEOUT);
                }
                int seen = changes;
                Workflow.await(left.compareTo(RECHECK) < 0 ? left : RECHECK,
                        () -> changes != seen || CancellationScope.current().isCancelRequested());
                if (CancellationScope.current().isCancelRequested()) {
                    throw new CanceledFailure("Task cancelled while it waited");
                }
                value = check.get();
                if (done.test(value)) {
                    return value;
                }
            }
        } finally {
            waiting--;
        }
    }
}
