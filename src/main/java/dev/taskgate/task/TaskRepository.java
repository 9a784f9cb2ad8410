package dev.taskgate.task;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
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
        return update("status = :status, result = :result, error = :error, updatedAt = :now,"
                        + " modelUsed = coalesce(:model, modelUsed), provider = coalesce(:provider, provider)"
                        + " where id = :id and status in :unfinished",
                Parameters.with("status", outcome.status())
                        .and("model", outcome.model())
                        .and("provider", outcome.provider())
                        .and("result", outcome.result())
                        .and("error", outcome.error() == null ? "" : outcome.error())
                        .and("now", Instant.now())
                        .and("id", id)
                        .and("unfinished", UNFINISHED)) == 1;
    }

    /**
     * Records one model call and adds its usage to the task in the same transaction, so the
     * task's usage is always the exact sum of its calls. A call already recorded (same call key)
     * changes nothing; returns whether the call was new.
     */
    @Transactional
    public boolean recordModelCall(ModelCall call) {
        int inserted = getEntityManager().createNativeQuery(
                        "INSERT INTO model_calls (task_id, call_key, purpose, provider, model, input_tokens, output_tokens, cost)"
                                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (task_id, call_key) DO NOTHING")
                .setParameter(1, call.taskId())
                .setParameter(2, call.callKey())
                .setParameter(3, call.purpose())
                .setParameter(4, call.provider())
                .setParameter(5, call.model())
                .setParameter(6, call.inputTokens())
                .setParameter(7, call.outputTokens())
                .setParameter(8, call.cost())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        update("modelUsed = :model, provider = :provider,"
                        + " inputTokens = coalesce(inputTokens, 0) + :in,"
                        + " outputTokens = coalesce(outputTokens, 0) + :out,"
                        + " estimatedCost = coalesce(estimatedCost, 0) + :cost"
                        + " where id = :id",
                Parameters.with("model", call.model()).and("provider", call.provider())
                        .and("in", call.inputTokens()).and("out", call.outputTokens()).and("cost", call.cost())
                        .and("id", call.taskId()));
        return true;
    }

    /** The latest {@code limit} completed turns of a session before {@code before}, oldest first. */
    public List<SessionTurn> sessionHistory(String tenantId, String sessionId, Instant before, int limit) {
        List<Task> latest = find("tenantId = ?1 and sessionId = ?2 and createdAt < ?3 and status = ?4"
                        + " order by createdAt desc, id desc",
                tenantId, sessionId, before, TaskStatus.COMPLETED).page(0, limit).list();
        List<SessionTurn> turns = new ArrayList<>(latest.size());
        for (int i = latest.size() - 1; i >= 0; i--) {
            turns.add(new SessionTurn(latest.get(i).query, latest.get(i).result));
        }
        return turns;
    }

    /** Unfinished tasks whose status has not changed since {@code before}, oldest first. */
    public List<Task> findStale(Instant before, int limit) {
        return find("status in ?1 and updatedAt < ?2 order by updatedAt", UNFINISHED, before)
                .page(0, limit).list();
    }
}
