package dev.taskgate.task;

import dev.taskgate.events.TaskChange;
import dev.taskgate.events.TaskChanges;
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
 * {@link #markRunning}, whose WHERE clause makes terminal statuses final, and each one (and each
 * insert) is announced with {@code pg_notify} on {@link TaskChanges#CHANNEL} in the same
 * transaction, so listeners hear of it exactly when it is committed.
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
        flush();
        announce(task.id, task.status);
    }

    /**
     * QUEUED → RUNNING; false if the task had already moved on. One statement (the update and
     * its NOTIFY together), as it runs on every task's critical path.
     */
    @Transactional
    public boolean markRunning(String id) {
        return !getEntityManager().createNativeQuery(
                        "with changed as (update tasks set status = 'RUNNING', updated_at = :now"
                                + " where id = :id and status = 'QUEUED' returning id)"
                                + " select pg_notify(:channel, changed.id || :suffix) from changed")
                .setParameter("now", Instant.now())
                .setParameter("id", id)
                .setParameter("channel", TaskChanges.CHANNEL)
                .setParameter("suffix", new TaskChange("", TaskStatus.RUNNING.name()).payload())
                .getResultList().isEmpty();
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
        boolean changed = update("status = :status, result = :result, error = :error, updatedAt = :now"
                        + " where id = :id and status in :unfinished",
                Parameters.with("status", outcome.status())
                        .and("result", outcome.result())
                        .and("error", outcome.error() == null ? "" : outcome.error())
                        .and("now", Instant.now())
                        .and("id", id)
                        .and("unfinished", UNFINISHED)) == 1;
        if (changed) {
            announce(id, outcome.status());
        }
        return changed;
    }

    /** NOTIFY in the caller's transaction: delivered on commit, dropped on rollback. */
    private void announce(String id, TaskStatus status) {
        getEntityManager().createNativeQuery("select pg_notify(:channel, :payload)")
                .setParameter("channel", TaskChanges.CHANNEL)
                .setParameter("payload", new TaskChange(id, status.name()).payload())
                .getSingleResult();
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

    /**
     * The tenant's tasks matching {@code query}, newest first (created_at, then id), after the
     * cursor position; at most {@code fetch} rows.
     */
    public List<Task> page(String tenantId, TaskQuery query, PageTokens.Position after, int fetch) {
        StringBuilder where = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (!query.statuses().isEmpty()) {
            where.append(" and status in :statuses");
            params.and("statuses", query.statuses());
        }
        if (query.sessionId() != null) {
            where.append(" and sessionId = :session");
            params.and("session", query.sessionId());
        }
        if (query.mode() != null) {
            where.append(" and mode = :mode");
            params.and("mode", query.mode());
        }
        if (query.createdAfter() != null) {
            where.append(" and createdAt > :after");
            params.and("after", query.createdAfter());
        }
        if (query.createdBefore() != null) {
            where.append(" and createdAt < :before");
            params.and("before", query.createdBefore());
        }
        if (after != null) {
            where.append(" and (createdAt < :cursorAt or (createdAt = :cursorAt and id < :cursorId))");
            params.and("cursorAt", after.at()).and("cursorId", after.id());
        }
        return find(where + " order by createdAt desc, id desc", params).range(0, fetch - 1).list();
    }

    /**
     * The tenant's sessions (one id, or all), the newest first by the creation of their first
     * task, which never changes, so paging stays stable while tasks are added.
     */
    public List<SessionSummary> sessions(String tenantId, String sessionId, PageTokens.Position after, int fetch) {
        StringBuilder sql = new StringBuilder(
                "select session_id, count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
                        + " coalesce(sum(estimated_cost), 0), min(created_at), max(updated_at)"
                        + " from tasks where tenant_id = :tenant");
        if (sessionId != null) {
            sql.append(" and session_id = :session");
        }
        sql.append(" group by session_id");
        if (after != null) {
            sql.append(" having (min(created_at) < :cursorAt"
                    + " or (min(created_at) = :cursorAt and session_id < :cursorId))");
        }
        sql.append(" order by min(created_at) desc, session_id desc limit :fetch");
        var query = getEntityManager().createNativeQuery(sql.toString())
                .setParameter("tenant", tenantId)
                .setParameter("fetch", fetch);
        if (sessionId != null) {
            query.setParameter("session", sessionId);
        }
        if (after != null) {
            query.setParameter("cursorAt", after.at()).setParameter("cursorId", after.id());
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(row -> {
            Object[] r = (Object[]) row;
            return new SessionSummary((String) r[0], ((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                    ((Number) r[3]).longValue(), decimal(r[4]), instant(r[5]), instant(r[6]));
        }).toList();
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName());
    }
}
