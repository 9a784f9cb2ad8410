package dev.taskgate.task;

import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import java.util.List;
import java.util.Optional;

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
    private final TaskCache cache;
    private final PageTokens tokens;

    public TaskReads(TaskRepository tasks, TaskCache cache, PageTokens tokens) {
        this.tasks = tasks;
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
        if (rows.size() <= query.limit()) {
            return new TaskPage(rows, null);
        }
        List<TaskView> page = rows.subList(0, query.limit());
        TaskView last = page.get(page.size() - 1);
        return new TaskPage(List.copyOf(page), tokens.tasks(last.createdAt(), last.id()));
    }

    /** The caller's sessions, the most recently started first. */
    public SessionPage sessions(String tenantId, SessionQuery query) {
        PageTokens.Position after = tokens.parseSessions(query.pageToken());
        List<SessionSummary> rows = tasks.sessions(tenantId, null, after, query.limit() + 1);
        if (rows.size() <= query.limit()) {
            return new SessionPage(rows, null);
        }
        List<SessionSummary> page = rows.subList(0, query.limit());
        SessionSummary last = page.get(page.size() - 1);
        return new SessionPage(List.copyOf(page), tokens.sessions(last.firstActivityAt(), last.sessionId()));
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
