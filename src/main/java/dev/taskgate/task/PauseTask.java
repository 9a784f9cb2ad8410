package dev.taskgate.task;

import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Pause and resume. The row changes first: a paused task is PAUSED at once, and its workflow,
 * which reads the row before every step, stops at the next step boundary (a model call or tool
 * run in flight finishes and is recorded). Resume clears the request and wakes the workflow; a
 * task waiting for an approval stays PAUSED until it is decided. Harmless to repeat; a task that
 * has ended is a CONFLICT.
 */
@ApplicationScoped
public class PauseTask {

    private static final Logger LOG = Logger.getLogger(PauseTask.class);

    private final TaskReads reads;
    private final TaskTransitions transitions;
    private final TaskCache cache;
    private final TaskWorkflows workflows;

    public PauseTask(TaskReads reads, TaskTransitions transitions, TaskCache cache, TaskWorkflows workflows) {
        this.reads = reads;
        this.transitions = transitions;
        this.cache = cache;
        this.workflows = workflows;
    }

    public TaskView pause(String tenantId, String taskId, String reason) {
        return request(tenantId, taskId, true, reason);
    }

    public TaskView resume(String tenantId, String taskId, String reason) {
        return request(tenantId, taskId, false, reason);
    }

    private TaskView request(String tenantId, String taskId, boolean pause, String reason) {
        String why = reason == null || Texts.isBlank(Texts.checked("reason", reason, CancelTask.MAX_REASON_CHARS))
                ? null : reason.strip();
        TaskView task = reads.find(tenantId, taskId);
        if (!task.status().isTerminal()) {
            boolean unfinished = QuarkusTransaction.requiringNew().call(() -> transitions.requestPause(task.id(), pause, why));
            cache.forget(task.id());
            if (unfinished) {
                if (!pause) {
                    wake(task.id());
                }
                LOG.infof("task_id=%s %s by its tenant", task.id(), pause ? "paused" : "resumed");
                return reads.find(tenantId, taskId);
            }
        }
        throw new TaskgateException(ErrorKind.CONFLICT, "Task has already "
                + reads.find(tenantId, taskId).status().ended() + " and cannot be " + (pause ? "paused" : "resumed"));
    }

    void wake(String taskId) {
        try {
            workflows.wake(taskId);
        } catch (RuntimeException e) {
            // the waiting workflow reads the row again at its next periodic check
            LOG.warnf("task_id=%s changed, but its workflow could not be told yet: %s", taskId, e.getClass().getSimpleName());
        }
    }
}
