package dev.taskgate.task;

import dev.taskgate.events.EventType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;

/**
 * What a task's workflow (and the reconciler) records: each write in its own transaction, metrics
 * counted only once it has committed. Texts Taskgate did not choose — model output, provider
 * errors — are made storable here, so a paid answer is never lost to a character PostgreSQL
 * cannot hold.
 */
@ApplicationScoped
public class TaskProgress {

    private final TaskTransitions transitions;
    private final ApprovalTransitions approvalTransitions;
    private final TaskRepository tasks;
    private final ApprovalRepository approvals;
    private final TaskMetrics metrics;

    public TaskProgress(TaskTransitions transitions, ApprovalTransitions approvalTransitions, TaskRepository tasks,
                        ApprovalRepository approvals, TaskMetrics metrics) {
        this.transitions = transitions;
        this.approvalTransitions = approvalTransitions;
        this.tasks = tasks;
        this.approvals = approvals;
        this.metrics = metrics;
    }

    /** See {@link TaskTransitions#markRunning}. */
    public boolean markRunning(String taskId) {
        return QuarkusTransaction.requiringNew().call(() -> transitions.markRunning(taskId));
    }

    /**
     * A run's start in one transaction: {@link TaskTransitions#markRunning}, then what was
     * submitted and the status the task has now (RUNNING, or PAUSED when a pause came first).
     * Empty when the task has ended or no longer exists.
     */
    public Optional<Started> start(String taskId) {
        return QuarkusTransaction.requiringNew().call(() -> transitions.markRunning(taskId)
                ? tasks.findByIdOptional(taskId).map(task -> new Started(SubmittedTask.of(task), task.status))
                : Optional.empty());
    }

    /** A started run's task: what was submitted, and its status when it started. */
    public record Started(SubmittedTask task, TaskStatus status) {
    }

    /** Appends an event of an unfinished task once per {@code stepKey} (null: always). */
    public void recordEvent(String taskId, String stepKey, EventType type, String message, Map<String, ?> payload) {
        QuarkusTransaction.requiringNew().run(() ->
                transitions.append(taskId, stepKey, type, Texts.storable(message), payload));
    }

    /** Records a model call once per call key; returns whether it was new. */
    public boolean recordModelCall(ModelCall call, String output) {
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> transitions.recordModelCall(call,
                Texts.storable(output)));
        if (recorded) {
            metrics.modelCall(call);
        }
        return recorded;
    }

    /** Records a terminal status unless the task has one; returns whether it changed. */
    public boolean finish(String taskId, TaskOutcome outcome) {
        TaskOutcome storable = new TaskOutcome(outcome.status(), Texts.storable(outcome.result()),
                Texts.storable(outcome.error()), outcome.model(), outcome.provider());
        Optional<TaskTransitions.Finished> finished = QuarkusTransaction.requiringNew().call(() ->
                transitions.finish(taskId, storable));
        finished.ifPresent(metrics::finished);
        return finished.isPresent();
    }

    /** The task's status now; empty when it no longer exists. */
    public Optional<TaskStatus> status(String taskId) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.status(taskId));
    }

    /** See {@link ApprovalTransitions#requestApproval}; the arguments are made storable. */
    public Optional<String> requestApproval(String taskId, String stepKey, String tool, String arguments) {
        return QuarkusTransaction.requiringNew().call(() ->
                approvalTransitions.requestApproval(taskId, stepKey, tool, Texts.storable(arguments)));
    }

    public Optional<Approval> approval(String approvalId) {
        return QuarkusTransaction.requiringNew().call(() -> approvals.find(approvalId));
    }

    /** The task runs again from its stored input: approvals its earlier run asked for can no longer be decided. */
    public void dropPendingApprovals(String taskId) {
        QuarkusTransaction.requiringNew().run(() -> approvalTransitions.dropPendingApprovals(taskId));
    }

    /** Whether the task has ended (read in its own short transaction: the caller may go on for minutes). */
    public boolean hasEnded(String taskId) {
        return QuarkusTransaction.requiringNew().call(() -> tasks.isFinished(taskId));
    }
}
