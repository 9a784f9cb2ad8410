package dev.taskgate.task;

import dev.taskgate.config.TaskgateConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Deletes finished tasks older than {@code taskgate.retention.max-age} (default 30 days) with
 * everything that belongs to them (events and usage rows go by ON DELETE CASCADE). Unfinished
 * tasks are never deleted. Safe on several replicas at once: each batch deletes what is still there.
 */
@ApplicationScoped
public class TaskRetention {

    private static final Logger LOG = Logger.getLogger(TaskRetention.class);
    private static final int BATCH = 1000;

    private final TaskRepository tasks;
    private final TaskCache cache;
    private final TaskgateConfig.Retention retention;

    public TaskRetention(TaskRepository tasks, TaskCache cache, TaskgateConfig.Retention retention) {
        this.tasks = tasks;
        this.cache = cache;
        this.retention = retention;
    }

    @Scheduled(every = "${taskgate.retention.every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        deleteExpired();
    }

    /** Deletes expired tasks in batches; returns how many were deleted. */
    public long deleteExpired() {
        Instant cutoff = Instant.now().minus(retention.maxAge());
        long total = 0;
        List<String> deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> tasks.deleteFinishedBefore(cutoff, BATCH));
            deleted.forEach(cache::evict);
            total += deleted.size();
        } while (deleted.size() == BATCH);
        if (total > 0) {
            LOG.infof("Retention deleted %d task(s) created before %s", total, cutoff);
        }
        return total;
    }
}
