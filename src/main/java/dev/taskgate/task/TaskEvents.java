package dev.taskgate.task;

import dev.taskgate.error.TaskgateException;
import dev.taskgate.events.EventFollower;
import dev.taskgate.events.EventLog;
import dev.taskgate.events.EventSink;
import dev.taskgate.events.TaskEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * A task's events for its tenant: stored pages, and streams that replay and then follow live
 * until the terminal event. Another tenant's task is NOT_FOUND before anything is sent.
 */
@ApplicationScoped
public class TaskEvents {

    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1000;

    private final TaskReads reads;
    private final EventLog log;
    private final EventFollower follower;

    public TaskEvents(TaskReads reads, EventLog log, EventFollower follower) {
        this.reads = reads;
        this.log = log;
        this.follower = follower;
    }

    /** A page of the caller's task's stored events with seq greater than {@code afterSeq}. */
    public List<TaskEvent> page(String tenantId, String taskId, long afterSeq, int limit) {
        TaskView task = reads.find(tenantId, taskId);
        checkAfter(afterSeq);
        if (limit < 1 || limit > MAX_PAGE) {
            throw TaskgateException.invalid("limit must be between 1 and " + MAX_PAGE);
        }
        return log.after(task.id(), afterSeq, limit);
    }

    /**
     * Checks that the caller may stream its task's events after {@code afterSeq} (throws if not) and returns
     * what starts the stream into {@code sink}, with live partial output if asked; the caller runs it once it
     * is ready to send.
     */
    public Runnable stream(String tenantId, String taskId, long afterSeq, boolean partials, EventSink sink) {
        TaskView task = reads.find(tenantId, taskId);
        checkAfter(afterSeq);
        return () -> follower.follow(task.id(), afterSeq, partials, sink);
    }

    private static void checkAfter(long afterSeq) {
        if (afterSeq < 0) {
            throw TaskgateException.invalid("after must be a non-negative event seq");
        }
    }
}
