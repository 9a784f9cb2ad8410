package dev.taskgate.task;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.events.TaskChanges;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;

/**
 * Tasks served from memory, so that a poll rarely touches PostgreSQL.
 *
 * <ul>
 *   <li>A terminal task never changes: once read it is kept (bounded, least recently used
 *       dropped first, and for at most an hour so that tasks deleted by retention disappear).</li>
 *   <li>An unfinished task is kept for at most {@code taskgate.polling.unfinished-max-age}, and
 *       dropped as soon as its change is announced by {@link TaskChanges} (every change of a task
 *       row is announced by {@code NOTIFY} in its transaction). A read that began before a change
 *       was heard is never kept. While the {@code LISTEN} connection is down, unfinished tasks are
 *       not served from memory at all.</li>
 * </ul>
 *
 * Both are served only to the task's own tenant; another tenant gets the usual NOT_FOUND.
 */
@ApplicationScoped
public class TaskCache {

    private static final Duration TERMINAL_MAX_AGE = Duration.ofHours(1);

    /** An unfinished task as read at {@code at} (System.nanoTime), or, with no task, a change heard at {@code at}. */
    private record Snapshot(TaskView task, long at) {
    }

    private final TaskChanges changes;
    private final Cache<String, TaskView> terminal;
    private final Cache<String, Snapshot> unfinished;

    public TaskCache(TaskgateConfig.Polling polling, TaskChanges changes) {
        this.changes = changes;
        int size = polling.terminalCacheSize();
        this.terminal = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(TERMINAL_MAX_AGE).build();
        this.unfinished = Caffeine.newBuilder().maximumSize(size)
                .expireAfterWrite(polling.unfinishedMaxAge()).build();
    }

    @PostConstruct
    void listen() {
        changes.listenAll(change -> forget(change.taskId()));
    }

    /** The caller's task if it is terminal and in memory. */
    public Optional<TaskView> terminal(String tenantId, String taskId) {
        return ownedBy(tenantId, taskId == null ? null : terminal.getIfPresent(taskId));
    }

    /** The caller's task if memory has a current copy: terminal, or unfinished and recently read. */
    public Optional<TaskView> current(String tenantId, String taskId) {
        Optional<TaskView> done = terminal(tenantId, taskId);
        if (done.isPresent() || taskId == null || !changes.connected()) {
            return done;
        }
        Snapshot snapshot = unfinished.getIfPresent(taskId);
        return ownedBy(tenantId, snapshot == null ? null : snapshot.task());
    }

    /** Keeps a task read from the database by a read that began at {@code readStartedAt} (System.nanoTime). */
    public void remember(TaskView task, long readStartedAt) {
        if (task.status().isTerminal()) {
            terminal.put(task.id(), task);
            unfinished.invalidate(task.id());
            return;
        }
        unfinished.asMap().compute(task.id(), (id, known) ->
                known != null && known.at() - readStartedAt > 0 ? known : new Snapshot(task, readStartedAt));
    }

    /** The task is gone (deleted by retention): drop every copy. */
    public void evict(String taskId) {
        terminal.invalidate(taskId);
        unfinished.invalidate(taskId);
    }

    /** The task has changed: drop its unfinished copy, and any read still in flight. */
    public void forget(String taskId) {
        unfinished.put(taskId, new Snapshot(null, System.nanoTime()));
    }

    private static Optional<TaskView> ownedBy(String tenantId, TaskView task) {
        if (task == null) {
            return Optional.empty();
        }
        if (!task.tenantId().equals(tenantId)) {
            throw TaskgateException.taskNotFound();
        }
        return Optional.of(task);
    }
}
