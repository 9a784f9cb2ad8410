package dev.taskgate.task;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queries of task rows. Reads return immutable {@link TaskView}s, never the entity; every change
 * of a task goes through {@link TaskTransitions}.
 */
@ApplicationScoped
public class TaskRepository implements PanacheRepositoryBase<Task, String> {

    private final ApprovalRepository approvals;

    public TaskRepository(ApprovalRepository approvals) {
        this.approvals = approvals;
    }

    /**
     * The task as stored now, if it belongs to the tenant. The row is detached once read: a
     * request that reads a task twice (a long poll) shares one session, which would otherwise
     * answer the second read with the first one's entity.
     */
    public Optional<TaskView> findForTenant(String id, String tenantId) {
        Optional<Task> task = find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
        task.ifPresent(getEntityManager()::detach);
        return task.map(this::view);
    }

    /** The task as stored now, whoever it belongs to. */
    public Optional<TaskView> findView(String id) {
        Optional<Task> task = findByIdOptional(id);
        task.ifPresent(getEntityManager()::detach);
        return task.map(this::view);
    }

    private TaskView view(Task task) {
        return views(List.of(task)).get(0);
    }

    /** Views of the rows, with the pending approvals of those that are paused (one query for all). */
    private List<TaskView> views(List<Task> rows) {
        Map<String, List<Approval>> pending = approvals.pending(rows.stream()
                .filter(task -> task.status == TaskStatus.PAUSED).map(task -> task.id).toList());
        return rows.stream().map(task -> TaskView.of(task, pending.getOrDefault(task.id, List.of()))).toList();
    }

    /** What was submitted for a task, as its workflow reads it. */
    public Optional<SubmittedTask> submitted(String id) {
        return findByIdOptional(id).map(SubmittedTask::of);
    }

    /** The task's status now; empty when it no longer exists. */
    public Optional<TaskStatus> status(String id) {
        return getEntityManager().createQuery("select t.status from Task t where t.id = :id", TaskStatus.class)
                .setParameter("id", id).getResultStream().findFirst();
    }

    /** Whether the task has a terminal status (or no longer exists). */
    public boolean isFinished(String id) {
        return count("id = ?1 and status in ?2", id, TaskStatus.UNFINISHED) == 0;
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

    /**
     * Unfinished tasks whose status has not changed since {@code before}, oldest change first,
     * after {@code after} in that order (null: from the start).
     */
    public List<TaskView> findStale(Instant before, TaskView after, int limit) {
        var rows = after == null
                ? find("status in ?1 and updatedAt < ?2 order by updatedAt, id", TaskStatus.UNFINISHED, before)
                : find("status in ?1 and updatedAt < ?2 and (updatedAt > ?3 or (updatedAt = ?3 and id > ?4))"
                        + " order by updatedAt, id", TaskStatus.UNFINISHED, before, after.updatedAt(), after.id());
        return views(rows.page(0, limit).list());
    }

    /**
     * The tenant's tasks matching {@code query}, newest first (created_at, then id), after the
     * cursor position; at most {@code fetch} rows.
     */
    public List<TaskView> page(String tenantId, TaskQuery query, PageTokens.Position after, int fetch) {
        StringBuilder where = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (!query.statuses().isEmpty()) {
            where.append(" and status in :statuses");
            params.and("statuses", query.statuses());
        }
        if (!query.ids().isEmpty()) {
            where.append(" and id in :ids");
            params.and("ids", query.ids());
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
        return views(find(where + " order by createdAt desc, id desc", params).range(0, fetch - 1).list());
    }

    /** Deletes up to {@code limit} finished tasks created before {@code cutoff} (their events go with them); returns their ids. */
    @SuppressWarnings("unchecked")
    public List<String> deleteFinishedBefore(Instant cutoff, int limit) {
        return getEntityManager().createNativeQuery(
                        "DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE created_at < ?1"
                                + " AND NOT " + TaskStatus.UNFINISHED_SQL + " LIMIT ?2) RETURNING id")
                .setParameter(1, cutoff)
                .setParameter(2, limit)
                .getResultList();
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

    static Instant instant(Object value) {
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
