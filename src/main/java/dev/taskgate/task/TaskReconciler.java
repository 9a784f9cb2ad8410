package dev.taskgate.task;

import dev.taskgate.config.TaskgateConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Periodically checks unfinished tasks that have not changed for a while against Temporal, so no
 * task stays QUEUED or RUNNING after its workflow closed or vanished.
 */
@ApplicationScoped
public class TaskReconciler {

    private static final Logger LOG = Logger.getLogger(TaskReconciler.class);
    private static final int BATCH = 100;

    private final TaskRepository tasks;
    private final TaskService service;
    private final TaskgateConfig.Tasks limits;

    public TaskReconciler(TaskRepository tasks, TaskService service, TaskgateConfig config) {
        this.tasks = tasks;
        this.service = service;
        this.limits = config.tasks();
    }

    @Scheduled(every = "${taskgate.tasks.reconcile-every}", delayed = "${taskgate.tasks.reconcile-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcileStaleTasks() {
        for (Task task : tasks.findStale(Instant.now().minus(limits.reconcileAfter()), BATCH)) {
            try {
                service.reconcile(task);
            } catch (RuntimeException e) {
                LOG.warnf("task_id=%s reconciliation skipped: %s", task.id, e.getMessage());
                return;
            }
        }
    }
}
