package dev.taskgate.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.idempotency.IdempotencyKeys;
import dev.taskgate.idempotency.IdempotencyRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Cancel: the row becomes CANCELLED first (the guarded update makes that final, and a task that
 * finished a moment earlier keeps its status), then its workflow is asked to stop, which aborts
 * the model call in flight. Whatever the workflow still does cannot change the task. Harmless to
 * repeat; a task that already completed, failed or timed out is a CONFLICT.
 */
@ApplicationScoped
public class CancelTask {

    private static final Logger LOG = Logger.getLogger(CancelTask.class);
    /** The longest reason kept (it appears in the task's error). */
    public static final int MAX_REASON_CHARS = 1000;

    private final TaskReads reads;
    private final TaskProgress progress;
    private final TaskCache cache;
    private final TaskWorkflows workflows;
    private final IdempotencyKeys idempotency;
    private final ObjectMapper json;

    public CancelTask(TaskReads reads, TaskProgress progress, TaskCache cache, TaskWorkflows workflows,
                      IdempotencyKeys idempotency, ObjectMapper json) {
        this.reads = reads;
        this.progress = progress;
        this.cache = cache;
        this.workflows = workflows;
        this.idempotency = idempotency;
        this.json = json;
    }

    /**
     * With an idempotency key the first request runs and its answer is recorded; later ones with
     * the same key and reason get that answer again.
     */
    public Replayable<CancelResult> cancel(String tenantId, String taskId, String reason, String idempotencyKey) {
        String key = IdempotencyKeys.validKey(idempotencyKey);
        String why = reason == null || Texts.isBlank(Texts.checked("reason", reason, MAX_REASON_CHARS))
                ? null : reason.strip();
        if (key == null) {
            return new Replayable<>(cancel(tenantId, taskId, why), false);
        }
        reads.find(tenantId, taskId);
        String operation = "cancel:" + taskId;
        String hash = IdempotencyKeys.hash(operation + "\n" + (why == null ? "" : why));
        Optional<IdempotencyRecord> earlier = idempotency.claimPending(tenantId, key, operation, hash, taskId);
        if (earlier.isPresent()) {
            try {
                return new Replayable<>(json.readValue(earlier.get().response(), CancelResult.class), true);
            } catch (JsonProcessingException e) {
                throw new TaskgateException(ErrorKind.INTERNAL, "Internal error");
            }
        }
        CancelResult result;
        try {
            result = cancel(tenantId, taskId, why);
            idempotency.complete(tenantId, key, 202, taskId, json.writeValueAsString(result));
        } catch (RuntimeException | JsonProcessingException e) {
            idempotency.release(tenantId, key);
            throw e instanceof RuntimeException runtime ? runtime : new TaskgateException(ErrorKind.INTERNAL, "Internal error");
        }
        return new Replayable<>(result, false);
    }

    private CancelResult cancel(String tenantId, String taskId, String reason) {
        TaskView task = reads.find(tenantId, taskId);
        if (task.status() == TaskStatus.CANCELLED) {
            return new CancelResult(true, "Task already cancelled", task.id(), task.status());
        }
        if (task.status().isTerminal()) {
            throw finishedConflict(task.status());
        }
        boolean cancelled = progress.finish(task.id(), TaskOutcome.cancelled(reason));
        cache.forget(task.id());
        if (!cancelled) {
            task = reads.find(tenantId, taskId);
            if (task.status() == TaskStatus.CANCELLED) {
                return new CancelResult(true, "Task already cancelled", task.id(), task.status());
            }
            throw finishedConflict(task.status());
        }
        try {
            workflows.cancel(task.id(), reason);
        } catch (RuntimeException e) {
            // the workflow's remaining steps cannot change the task, and its next model call stops it
            LOG.warnf("task_id=%s cancelled, but its workflow could not be told: %s", task.id(), e.getClass().getSimpleName());
        }
        LOG.infof("task_id=%s cancelled by its tenant", task.id());
        return new CancelResult(true, "Task cancelled", task.id(), TaskStatus.CANCELLED);
    }

    private static TaskgateException finishedConflict(TaskStatus status) {
        return new TaskgateException(ErrorKind.CONFLICT, "Task has already " + status.ended() + " and cannot be cancelled");
    }
}
