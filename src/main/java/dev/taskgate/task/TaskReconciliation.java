package dev.taskgate.task;

import dev.taskgate.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Brings an unfinished task in line with its workflow. A closed workflow gives the task its true
 * terminal status. A lost workflow — gone from Temporal (the in-process server keeps workflows in
 * memory, so a restart of the app loses them) or stalled behind a workflow task that no worker
 * will ever start — is run again from the stored task, with a TASK_RESTARTED event, as long as
 * the task's deadline allows (time spent paused does not count); usage already recorded stays
 * counted. A task whose workflow still runs five minutes past the deadline is stuck and TIMEOUT.
 */
@ApplicationScoped
public class TaskReconciliation {

    private static final Logger LOG = Logger.getLogger(TaskReconciliation.class);
    /** How long past its deadline (paused time excluded) a task whose workflow still runs counts as stuck. */
    private static final Duration OVERDUE_AFTER = Duration.ofMinutes(5);

    private final TaskProgress progress;
    private final TaskWorkflows workflows;
    private final TaskMetrics metrics;

    public TaskReconciliation(TaskProgress progress, TaskWorkflows workflows, TaskMetrics metrics) {
        this.progress = progress;
        this.workflows = workflows;
        this.metrics = metrics;
    }

    public void reconcile(TaskView task) {
        WorkflowState state = workflows.describe(task.id());
        switch (state) {
            case RUNNING -> {
                if (task.status() != TaskStatus.PAUSED && task.runningTime(Instant.now()).compareTo(
                        Duration.ofSeconds(task.timeoutSeconds()).plus(OVERDUE_AFTER)) > 0) {
                    // its workflow should have ended it at the deadline: it is stuck (e.g. code it cannot replay).
                    // The row is finished first: a workflow that still answers would otherwise record
                    // the cancellation as its own outcome before the timeout is written.
                    finish(task, TaskOutcome.timedOut(task.timeoutSeconds()));
                    workflows.cancel(task.id(), "Task exceeded its timeout");
                }
            }
            case NOT_FOUND -> {
                if (task.status() == TaskStatus.QUEUED) {
                    LOG.infof("task_id=%s is QUEUED without a workflow; starting it", task.id());
                    workflows.start(task.id(), task.timeoutSeconds());
                } else {
                    restart(task, "workflow_lost", "its workflow no longer exists (the Temporal server lost it,"
                            + " e.g. the in-process server stopped with the app)");
                }
            }
            case WORKFLOW_TASK_LOST -> restart(task, "workflow_task_lost",
                    "its workflow stalled: its next step was handed to a worker that is gone");
            case COMPLETED -> finish(task, TaskOutcome.failed("Task interrupted: its workflow ended without recording a result"));
            case FAILED -> finish(task, TaskOutcome.failed("Task failed: its workflow failed"));
            case CANCELED -> finish(task, TaskOutcome.cancelled(null));
            case TERMINATED -> finish(task, TaskOutcome.failed("Task interrupted: its workflow was terminated"));
            case TIMED_OUT -> finish(task, TaskOutcome.timedOut("Task exceeded its workflow execution timeout"));
        }
    }

    private void restart(TaskView task, String reason, String why) {
        Duration elapsed = task.runningTime(Instant.now());
        if (elapsed.compareTo(Duration.ofSeconds(task.timeoutSeconds())) >= 0) {
            finish(task, TaskOutcome.timedOut(task.timeoutSeconds()));
            return;
        }
        progress.dropPendingApprovals(task.id());
        progress.recordEvent(task.id(), null, EventType.TASK_RESTARTED, "Task restarted from its stored input: " + why,
                Map.of("reason", reason));
        workflows.restart(task.id(), task.timeoutSeconds(), elapsed);
        metrics.restarted(reason);
        LOG.infof("task_id=%s restarted from its stored input (%s)", task.id(), reason);
    }

    private void finish(TaskView task, TaskOutcome outcome) {
        if (progress.finish(task.id(), outcome)) {
            LOG.infof("task_id=%s reconciled to %s: %s", task.id(), outcome.status(), Texts.forLog(outcome.error()));
        }
    }
}
