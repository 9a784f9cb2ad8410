package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A person's decision on a tool call that waits for one. The decision is stored with its
 * APPROVAL_DECIDED event first (deciding twice is a CONFLICT), then the task's workflow is woken:
 * an approved call runs; a refused one is answered to the model with the refusal and the feedback,
 * and the loop goes on.
 */
@ApplicationScoped
public class DecideApproval {

    private static final Logger LOG = Logger.getLogger(DecideApproval.class);
    /** The longest feedback kept (the model reads it). */
    public static final int MAX_FEEDBACK_CHARS = 4000;

    private final ApprovalTransitions transitions;
    private final TaskCache cache;
    private final PauseTask pauses;

    public DecideApproval(ApprovalTransitions transitions, TaskCache cache, PauseTask pauses) {
        this.transitions = transitions;
        this.cache = cache;
        this.pauses = pauses;
    }

    public Approval decide(String tenantId, String taskId, String approvalId, Boolean approved, String feedback) {
        Ids.task(taskId);
        Ids.approval(approvalId);
        if (approved == null) {
            throw TaskgateException.invalid("approved is required: true or false");
        }
        String note = feedback == null || Texts.isBlank(Texts.checked("feedback", feedback, MAX_FEEDBACK_CHARS))
                ? null : feedback.strip();
        Approval decided = QuarkusTransaction.requiringNew().call(() ->
                transitions.decide(tenantId, taskId, approvalId, approved, note));
        cache.forget(taskId);
        pauses.wake(taskId);
        LOG.infof("task_id=%s approval_id=%s %s tool=%s", taskId, approvalId, approved ? "approved" : "refused",
                decided.tool());
        return decided;
    }
}
