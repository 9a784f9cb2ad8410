package dev.taskgate.task;

import dev.taskgate.error.DatabaseOutage;
import dev.taskgate.config.TaskgateConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Periodically checks unfinished tasks that have not changed for a while against Temporal, so no
 * task stays QUEUED or RUNNING after its workflow closed, vanished or stalled. With the
 * in-process Temporal server, which starts empty, the first pass after start-up checks every
 * unfinished task at once: their workflows were lost with the previous process.
 */
@ApplicationScoped
public class TaskReconciler {

    private static final Logger LOG = Logger.getLogger(TaskReconciler.class);
    private static final int BATCH = 100;

    private final TaskRepository tasks;
    private final TaskReconciliation reconciliation;
    private final TaskgateConfig.Tasks limits;
    private volatile boolean checkEverything;
    private volatile boolean stopping;
    /** Held by a running pass; the shutdown waits for it, so the database stops after the pass. */
    private final ReentrantLock pass = new ReentrantLock();
    private final DatabaseOutage outage = new DatabaseOutage(LOG, "reconciliation", "every pass");

    public TaskReconciler(TaskRepository tasks, TaskReconciliation reconciliation, TaskgateConfig.Tasks limits,
                          TaskgateConfig.Temporal temporal) {
        this.tasks = tasks;
        this.reconciliation = reconciliation;
        this.limits = limits;
        this.checkEverything = temporal.target().isEmpty();
    }

    @Scheduled(every = "${taskgate.tasks.reconcile-every}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void reconcileStaleTasks() {
        pass.lock();
        try {
            if (!stopping) {
                reconcile();
                outage.answered();
            }
        } catch (RuntimeException e) {
            if (stopping) { // a pass that outlived the shutdown's wait met a database that went away
                LOG.debugf("reconciliation pass ended by the shutdown: %s", e.getMessage());
                return;
            }
            outage.failed("read stale tasks", e);
        } finally {
            pass.unlock();
        }
    }

    /** Ends a pass under way after its current task (a few seconds at most), before the database stops. */
    void stopping(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        if (pass.tryLock(5, TimeUnit.SECONDS)) {
            pass.unlock();
        }
    }

    private void reconcile() {
        Instant before = checkEverything ? Instant.now() : Instant.now().minus(limits.reconcileAfter());
        TaskView last = null;
        for (List<TaskView> page = stale(before, null); !page.isEmpty() && !stopping; page = stale(before, last)) {
            for (TaskView task : page) {
                if (stopping) {
                    return;
                }
                try {
                    reconciliation.reconcile(task);
                } catch (RuntimeException e) {
                    LOG.warnf("task_id=%s reconciliation skipped: %s", task.id(), e.getMessage());
                    return;
                }
                last = task;
            }
        }
        checkEverything = false;
    }

    private List<TaskView> stale(Instant before, TaskView after) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.findStale(before, after, BATCH));
    }
}
