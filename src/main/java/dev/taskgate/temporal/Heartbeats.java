package dev.taskgate.temporal;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import dev.taskgate.workflow.Failures;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats for a blocking activity: while the work runs on the activity's thread, a shared
 * ticker reports it alive every {@code taskgate.temporal.heartbeat-interval}. The work itself
 * never heartbeats: the SDK sends a first heartbeat at once, on the caller's thread, which would
 * put a round trip to Temporal into every call that streams. When a heartbeat learns that the
 * activity is cancelled (the task was cancelled or timed out), no longer exists, or that this
 * worker is stopping, the work's thread is interrupted — which aborts a model call in flight —
 * and the activity ends accordingly: a stopping worker's attempt fails as retryable, so another
 * worker takes it over at once; an activity the workflow no longer waits for ends as
 * {@link Gone}.
 */
@ApplicationScoped
public class Heartbeats {

    private final long intervalMillis;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "taskgate-heartbeats");
        thread.setDaemon(true);
        return thread;
    });

    public Heartbeats(@ConfigProperty(name = "taskgate.temporal.heartbeat-interval") Duration interval) {
        this.intervalMillis = Math.max(50, interval.toMillis());
    }

    /** Runs {@code work} on the calling activity thread, heartbeating until it returns. */
    public <T> T during(ActivityExecutionContext activity, Supplier<T> work) {
        Beat beat = new Beat(activity, Thread.currentThread());
        ScheduledFuture<?> ticks = ticker.scheduleAtFixedRate(beat, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        try {
            T result = work.get();
            beat.finish();
            return result;
        } catch (RuntimeException e) {
            beat.finish();
            throw e;
        } finally {
            ticks.cancel(false);
            beat.finish();
            Thread.interrupted(); // an interrupt meant for the work must not leak into the worker's next task
        }
    }

    /**
     * The workflow no longer waits for this activity: it was cancelled (the task was cancelled or
     * timed out) or has ended. Its result would be refused, so the activity reports nothing: catch
     * this at the activity method, call {@code doNotCompleteOnReturn()} and return.
     */
    public static final class Gone extends RuntimeException {
        Gone(ActivityCompletionException reason) {
            super(reason.getClass().getSimpleName(), null, false, false);
        }
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
    }

    private static final class Beat implements Runnable {
        private final ActivityExecutionContext activity;
        private final Thread worker;
        private ActivityCompletionException stop;
        private boolean finished;

        Beat(ActivityExecutionContext activity, Thread worker) {
            this.activity = activity;
            this.worker = worker;
        }

        @Override
        public void run() {
            try {
                activity.heartbeat(null);
            } catch (ActivityCompletionException e) {
                synchronized (this) {
                    if (!finished && stop == null) {
                        stop = e;
                        worker.interrupt();
                    }
                }
            }
        }

        /** Ends the heartbeats; throws what ended the activity, if a heartbeat learned it. */
        synchronized void finish() {
            finished = true;
            ActivityCompletionException reason = stop;
            stop = null;
            if (reason instanceof ActivityWorkerShutdownException) {
                throw ApplicationFailure.newBuilder()
                        .setMessage("The worker is stopping; the call is retried on another worker")
                        .setType(Failures.WORKER_STOPPING)
                        .setCategory(ApplicationErrorCategory.BENIGN)
                        .build();
            }
            if (reason != null) {
                throw new Gone(reason);
            }
        }
    }
}
