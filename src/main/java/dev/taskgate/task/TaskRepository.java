package dev.taskgate.task;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes of task rows. Every status change goes through {@link #finish} or
 * {@link #markRunning}, whose WHERE clause makes terminal statuses final.
 */
@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<Task, String> {

    private static final List<TaskStatus> UNFINISHED = List.of(TaskStatus.QUEUED, TaskStatus.RUNNING);

    /**
     * The task as stored now. The row is detached, so a later call in the same request reads
     * the database again instead of returning the first read from the persistence context.
     */
    public Optional<Task> findForTenant(String id, String tenantId) {
        Optional<Task> task = find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
        task.ifPresent(getEntityManager()::detach);
        return task;
    }

    @Transactional
    public void insert(Task task) {
        persist(task);
    }

    /** QUEUED → RUNNING; false if the task had already moved on. */
    @Transactional
    public boolean markRunning(String id) {
        return update("status = ?1, updatedAt = ?2 where id = ?3 and status = ?4",
                TaskStatus.RUNNING, Instant.now(), id, TaskStatus.QUEUED) == 1;
    }

    /** Remembers why a client cancelled an unfinished task (recorded in its error when it stops). */
    @Transactional
    public void setCancelReason(String id, String reason) {
        update("cancelReason = ?1 where id = ?2 and status in ?3", reason, id, UNFINISHED);
    }

    /** Moves an unfinished task to a terminal status; false if it was already terminal. */
    @Transactional
    public boolean finish(String id, TaskOutcome outcome) {
        if (!outcome.status().isTerminal()) {
            throw new IllegalArgumentException("not a terminal status: " + outcome.status());
        }
        return update("status = :status, result = :result, error = :error, updatedAt = :now"
                        + " where id = :id and status in :unfinished",
                Parameters.with("status", outcome.status())
                        .and("result", outcome.result())
                        .and("error", outcome.error() == null ? "" : outcome.error())
                        .and("now", Instant.now())
                        .and("id", id)
                        .and("unfinished", UNFINISHED)) == 1;
    }

    /** Adds one model call's usage to the task and names the model that answered last. */
    @Transactional
    public void addUsage(String id, String model, String provider, long inputTokens, long outputTokens,
                         BigDecimal cost) {
        update("modelUsed = :model, provider = :provider,"
                        + " inputTokens = coalesce(inputTokens, 0) + :in,"
                        + " outputTokens = coalesce(outputTokens, 0) + :out,"
                        + " estimatedCost = coalesce(estimatedCost, 0) + :cost"
                        + " where id = :id",
                Parameters.with("model", model).and("provider", provider)
                        .and("in", inputTokens).and("out", outputTokens).and("cost", cost)
                        .and("id", id));
    }

    /** Unfinished tasks whose status has not changed since {@code before}, oldest first. */
    public List<Task> findStale(Instant before, int limit) {
        return find("status in ?1 and updatedAt < ?2 order by updatedAt", UNFINISHED, before)
                .page(0, limit).list();
    }
}
