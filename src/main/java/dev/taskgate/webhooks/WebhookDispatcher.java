package dev.taskgate.webhooks;

import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.DatabaseErrors;
import dev.taskgate.error.DatabaseOutage;
import dev.taskgate.events.TaskChanges;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends due deliveries, at most {@code taskgate.webhooks.max-concurrent} at once per replica.
 * It looks for due deliveries every {@code poll-interval} and at once when a task ends or pauses
 * on any replica (the {@code NOTIFY} of the change, after its commit). Which replica sends a
 * delivery is decided by {@link DeliveryStore#claim} ({@code FOR UPDATE SKIP LOCKED} and a
 * lease), so each delivery is sent by one replica at a time, and again only after a failed
 * attempt or a lost lease: at least once, never lost. Counts every attempt's outcome in
 * {@code taskgate_webhook_deliveries_total{outcome}} (delivered, retrying, failed, gone).
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final Set<String> WAKING_STATUSES = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "PAUSED");

    private final DeliveryStore store;
    private final WebhookSender sender;
    private final MeterRegistry metrics;
    private final int maxConcurrent;
    private final Semaphore slots;
    private final ExecutorService claimer = Executors.newSingleThreadExecutor(daemon("taskgate-webhook-claimer"));
    private final ExecutorService senders;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final AtomicBoolean backlog = new AtomicBoolean();
    private volatile boolean running = true;
    private volatile boolean paused;
    private final DatabaseOutage outage = new DatabaseOutage(LOG, "webhook deliveries", "every poll");
    private TaskChanges.Subscription subscription;

    public WebhookDispatcher(DeliveryStore store, WebhookSender sender, MeterRegistry metrics,
                             TaskgateConfig.Webhooks config) {
        this.store = store;
        this.sender = sender;
        this.metrics = metrics;
        this.maxConcurrent = config.maxConcurrent();
        this.slots = new Semaphore(maxConcurrent);
        this.senders = Executors.newFixedThreadPool(maxConcurrent, daemon("taskgate-webhook-sender"));
    }

    void start(@Observes StartupEvent event, TaskChanges changes) {
        subscription = changes.listenAll(change -> {
            if (change.status() == null || WAKING_STATUSES.contains(change.status())) {
                wake();
            }
        });
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (subscription != null) {
            subscription.close();
        }
        claimer.shutdown();
        senders.shutdown();
        // A claim under way ends before the database may stop (the embedded one stops last); a
        // send cut short here is due again when its lease ends, on whichever replica is up.
        claimer.awaitTermination(5, TimeUnit.SECONDS);
        senders.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Scheduled(every = "${taskgate.webhooks.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        wake();
    }

    /** Looks for due deliveries soon, on the claimer thread (coalesced: one look at a time). */
    public void wake() {
        if (running && wakeQueued.compareAndSet(false, true)) {
            try {
                claimer.execute(() -> {
                    wakeQueued.set(false);
                    dispatchDue();
                });
            } catch (RejectedExecutionException stopping) {
                wakeQueued.set(false);
            }
        }
    }

    /** Stops (true) or resumes (false) claiming on this replica; what it claimed already is still sent. */
    void pause(boolean pause) {
        paused = pause;
        if (!pause) {
            wake();
        }
    }

    /** Claims due deliveries while there are free sending slots and hands them to the senders. */
    void dispatchDue() {
        int free = slots.availablePermits();
        while (running && !paused && free > 0) {
            List<DeliveryStore.Claimed> claimed;
            try {
                claimed = store.claim(free);
                outage.answered();
            } catch (RuntimeException e) {
                outage.failed("claim due deliveries", e);
                return;
            }
            for (DeliveryStore.Claimed delivery : claimed) {
                slots.acquireUninterruptibly();
                senders.execute(() -> deliver(delivery));
            }
            backlog.set(claimed.size() == free);
            if (claimed.size() < free) {
                return;
            }
            free = slots.availablePermits();
        }
    }

    private void deliver(DeliveryStore.Claimed delivery) {
        try {
            DeliveryStore.Result result = sender.send(delivery);
            String outcome = store.record(delivery, result);
            metrics.counter("taskgate.webhook.deliveries", "outcome", outcome).increment();
            String status = result.httpStatus() == null ? "-" : result.httpStatus().toString();
            if (result.delivered()) {
                LOG.debugf("task_id=%s webhook %s %s delivered attempt=%d status=%s ms=%d", delivery.taskId(),
                        delivery.id(), delivery.eventType(), delivery.attempts(), status, result.durationMillis());
            } else {
                LOG.infof("task_id=%s webhook %s %s attempt=%d %s: %s", delivery.taskId(), delivery.id(),
                        delivery.eventType(), delivery.attempts(), outcome, result.error());
            }
        } catch (RuntimeException e) {
            LOG.warnf("task_id=%s webhook %s: outcome not recorded (%s); sent again when its lease ends",
                    delivery.taskId(), delivery.id(), DatabaseErrors.describe(e));
        } finally {
            slots.release();
            if (backlog.get()) {
                wake();
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
