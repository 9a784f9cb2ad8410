package dev.taskgate.task;

import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every change of an approval, with its event and the task's status, in the caller's
 * transaction: a tool call that waits for a decision pauses its task; the decision lets it go on
 * (unless its tenant paused it too). Each locks the task row first, like {@link TaskTransitions}.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ApprovalTransitions {

    private final EntityManager database;
    private final TaskTransitions transitions;
    private final ApprovalRepository approvals;

    public ApprovalTransitions(EntityManager database, TaskTransitions transitions, ApprovalRepository approvals) {
        this.database = database;
        this.transitions = transitions;
        this.approvals = approvals;
    }

    /**
     * Records that a tool call waits for a decision (once per workflow step: a retried or replayed
     * step gets the approval it asked for before) and pauses the task. Empty once the task has ended.
     */
    public Optional<String> requestApproval(String taskId, String stepKey, String tool, String arguments) {
        if (transitions.lockUnfinished(taskId).isEmpty()) {
            return Optional.empty();
        }
        List<?> asked = database.createNativeQuery("SELECT id FROM approvals WHERE task_id = ?1 AND step_key = ?2")
                .setParameter(1, taskId).setParameter(2, stepKey).getResultList();
        if (!asked.isEmpty()) {
            return Optional.of((String) asked.get(0));
        }
        String id = Ids.newApproval();
        database.createNativeQuery("INSERT INTO approvals (id, task_id, tenant_id, step_key, tool, arguments, status,"
                        + " requested_at) SELECT ?1, id, tenant_id, ?3, ?4, ?5, 'PENDING', now() FROM tasks WHERE id = ?2")
                .setParameter(1, id).setParameter(2, taskId).setParameter(3, stepKey).setParameter(4, tool)
                .setParameter(5, arguments).executeUpdate();
        transitions.append(taskId, null, EventType.APPROVAL_REQUESTED, "Approval needed to run " + tool,
                Map.of("approval_id", id, "tool", tool, "arguments", arguments));
        transitions.settle(taskId, null);
        return Optional.of(id);
    }

    /**
     * Decides a pending approval of the tenant's task and settles the task's status: NOT_FOUND for
     * another tenant's task or an approval of another task, CONFLICT once it is decided or expired.
     */
    public Approval decide(String tenantId, String taskId, String approvalId, boolean approved, String feedback) {
        if (database.createNativeQuery("SELECT 1 FROM tasks WHERE id = ?1 AND tenant_id = ?2 FOR UPDATE")
                .setParameter(1, taskId).setParameter(2, tenantId).getResultList().isEmpty()) {
            throw TaskgateException.taskNotFound();
        }
        Approval approval = approvals.find(approvalId).filter(found -> found.taskId().equals(taskId))
                .orElseThrow(() -> new TaskgateException(ErrorKind.NOT_FOUND, "Approval not found"));
        if (approval.status() != Approval.Status.PENDING) {
            throw new TaskgateException(ErrorKind.CONFLICT, "Approval " + approvalId + " is already "
                    + approval.status().name().toLowerCase(Locale.ROOT)
                    + (approval.status() == Approval.Status.EXPIRED ? " (its task ended or ran again before a decision)" : ""));
        }
        Approval.Status status = approved ? Approval.Status.APPROVED : Approval.Status.REFUSED;
        database.createNativeQuery("UPDATE approvals SET status = ?2, feedback = ?3, decided_at = now() WHERE id = ?1")
                .setParameter(1, approvalId).setParameter(2, status.name()).setParameter(3, feedback).executeUpdate();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("approval_id", approvalId);
        payload.put("tool", approval.tool());
        payload.put("approved", approved);
        if (feedback != null) {
            payload.put("feedback", feedback);
        }
        transitions.append(taskId, null, EventType.APPROVAL_DECIDED, (approved ? "Approved: run " : "Refused: do not run ")
                + approval.tool() + (feedback == null ? "" : " (" + feedback + ")"), payload);
        transitions.settle(taskId, "Approval " + approvalId + (approved ? " approved" : " refused"));
        return approvals.find(approvalId).orElseThrow();
    }

    /** Expires the task's pending approvals (it runs again from its stored input) and settles its status. */
    public void dropPendingApprovals(String taskId) {
        if (transitions.expirePendingApprovals(taskId) > 0) {
            transitions.settle(taskId, "Its pending approvals expired: the task runs again from its stored input");
        }
    }
}
