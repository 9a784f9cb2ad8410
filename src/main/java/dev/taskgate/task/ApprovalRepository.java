package dev.taskgate.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Queries of the {@code approvals} table; its rows change only in {@link TaskTransitions}. */
@ApplicationScoped
public class ApprovalRepository {

    private static final String COLUMNS = "id, task_id, tool, arguments, status, feedback, requested_at, decided_at";

    private final EntityManager database;

    public ApprovalRepository(EntityManager database) {
        this.database = database;
    }

    public Optional<Approval> find(String id) {
        return rows("SELECT " + COLUMNS + " FROM approvals WHERE id = ?1", id).stream().findFirst();
    }

    /** The pending approvals of these tasks, oldest first, by task. */
    public Map<String, List<Approval>> pending(Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Map.of();
        }
        return rows("SELECT " + COLUMNS + " FROM approvals WHERE task_id IN (?1) AND status = 'PENDING'"
                + " ORDER BY requested_at, id", taskIds).stream()
                .collect(Collectors.groupingBy(Approval::taskId));
    }

    /** The tenant's approvals matching {@code query}, oldest request first, after the cursor; at most {@code fetch}. */
    public List<Approval> page(String tenantId, ApprovalQuery query, PageTokens.Position after, int fetch) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM approvals WHERE tenant_id = ?1"
                + " AND (CAST(?2 AS varchar) IS NULL OR status = ?2) AND (CAST(?3 AS varchar) IS NULL OR task_id = ?3)");
        if (after != null) {
            sql.append(" AND (requested_at > ?5 OR (requested_at = ?5 AND id > ?6))");
        }
        sql.append(" ORDER BY requested_at, id LIMIT ?4");
        var select = database.createNativeQuery(sql.toString())
                .setParameter(1, tenantId)
                .setParameter(2, query.status() == null ? null : query.status().name())
                .setParameter(3, query.taskId())
                .setParameter(4, fetch);
        if (after != null) {
            select.setParameter(5, after.at()).setParameter(6, after.id());
        }
        return approvals(select.getResultList());
    }

    private List<Approval> rows(String sql, Object parameter) {
        return approvals(database.createNativeQuery(sql).setParameter(1, parameter).getResultList());
    }

    private static List<Approval> approvals(List<?> rows) {
        return rows.stream().map(row -> {
            Object[] r = (Object[]) row;
            return new Approval((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                    Approval.Status.valueOf((String) r[4]), (String) r[5], TaskRepository.instant(r[6]),
                    r[7] == null ? null : TaskRepository.instant(r[7]));
        }).toList();
    }
}
