package dev.taskgate.task;

import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The caller's tasks and sessions, read on the calling (worker) thread: one task, pages of
 * tasks, sessions. Another tenant's task or session is NOT_FOUND, exactly like one that does not
 * exist. {@link TaskWatch} serves the same reads without blocking, and long polls. Callable from
 * any worker thread: each call activates a request context for its database session.
 */
@ApplicationScoped
@ActivateRequestContext
public class TaskReads {

    private final TaskRepository tasks;
    private final ApprovalRepository approvals;
    private final TaskCache cache;
    private final PageTokens tokens;

    public TaskReads(TaskRepository tasks, ApprovalRepository approvals, TaskCache cache, PageTokens tokens) {
        this.tasks = tasks;
        this.approvals = approvals;
        this.cache = cache;
        this.tokens = tokens;
    }

    /**
     * The caller's task as the database has it now; a terminal task comes from memory once read.
     * Callable from any worker thread (it activates a request context for the database session).
     */
    public TaskView find(String tenantId, String taskId) {
        Optional<TaskView> cached = cache.terminal(tenantId, taskId);
        if (cached.isPresent()) {
            return cached.get();
        }
        long readStartedAt = System.nanoTime();
        TaskView task = tasks.findForTenant(Ids.task(taskId), tenantId).orElseThrow(TaskgateException::taskNotFound);
        cache.remember(task, readStartedAt);
        return task;
    }

    /** The caller's tasks matching the query, newest first, one page at a time. */
    public TaskPage list(String tenantId, TaskQuery query) {
        PageTokens.Position after = tokens.parseTasks(query.pageToken());
        List<TaskView> rows = tasks.page(tenantId, query, after, query.limit() + 1);
        return page(rows, query.limit(), last -> tokens.tasks(last.createdAt(), last.id()), TaskPage::new);
    }

    /** The caller's approvals matching the query, oldest request first (a reviewer's inbox). */
    public ApprovalPage approvals(String tenantId, ApprovalQuery query) {
        PageTokens.Position after = tokens.parseApprovals(query.pageToken());
        List<Approval> rows = approvals.page(tenantId, query, after, query.limit() + 1);
        return page(rows, query.limit(), last -> tokens.approvals(last.requestedAt(), last.id()), ApprovalPage::new);
    }

    /** The caller's sessions, the most recently started first. */
    public SessionPage sessions(String tenantId, SessionQuery query) {
        PageTokens.Position after = tokens.parseSessions(query.pageToken());
        List<SessionSummary> rows = tasks.sessions(tenantId, null, after, query.limit() + 1);
        return page(rows, query.limit(), last -> tokens.sessions(last.firstActivityAt(), last.sessionId()), SessionPage::new);
    }

    /**
     * A page of at most {@code limit} of the {@code rows} (fetched one beyond the limit), with the
     * token of its last row when more follow.
     */
    private static <T, P> P page(List<T> rows, int limit, Function<T, String> tokenOf, BiFunction<List<T>, String, P> page) {
        if (rows.size() <= limit) {
            return page.apply(rows, null);
        }
        List<T> kept = List.copyOf(rows.subList(0, limit));
        return page.apply(kept, tokenOf.apply(kept.get(limit - 1)));
    }

    /** One of the caller's sessions; NOT_FOUND when the tenant has no task in it. */
    public SessionSummary session(String tenantId, String sessionId) {
        return tasks.sessions(tenantId, Ids.session(sessionId), null, 1).stream().findFirst()
                .orElseThrow(() -> new TaskgateException(ErrorKind.NOT_FOUND, "Session not found"));
    }

    /** The tasks of one of the caller's sessions; NOT_FOUND when the tenant has no task in it. */
    public TaskPage sessionTasks(String tenantId, String sessionId, TaskQuery query) {
        session(tenantId, sessionId);
        return list(tenantId, query.withSession(sessionId));
    }
}
