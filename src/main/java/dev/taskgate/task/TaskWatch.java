package dev.taskgate.task;

import dev.taskgate.events.TaskChanges;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * Non-blocking reads and long polls of one task. A waiting poll holds no thread and no
 * database connection: it is a listener on {@link TaskChanges} plus a timer. Notifications
 * are only hints: on each one, and at the deadline, the row is read again (briefly, on a
 * worker thread) and the poll answers only if the predicate says the task has news.
 */
@ApplicationScoped
public class TaskWatch {

    private final TaskReads reads;
    private final TaskCache cache;
    private final TaskChanges changes;
    private final Vertx vertx;
    private final Map<String, SharedRead> inflight = new ConcurrentHashMap<>();

    public TaskWatch(TaskReads reads, TaskCache cache, TaskChanges changes, Vertx vertx) {
        this.reads = reads;
        this.cache = cache;
        this.changes = changes;
        this.vertx = vertx;
    }

    /**
     * The caller's task for a poll: a current copy in memory ({@link TaskCache}) on the calling
     * thread, otherwise read on a worker thread.
     */
    public Uni<TaskView> get(String tenantId, String taskId) {
        Optional<TaskView> cached;
        try {
            cached = cache.current(tenantId, taskId);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return cached.isPresent() ? Uni.createFrom().item(cached.get()) : read(tenantId, taskId);
    }

    /**
     * Answers with the task as soon as {@code news.test(first, current)} holds, where
     * {@code first} is the task as read when the poll began, or at the deadline with the task
     * as it is then. A terminal task is always news (it will never change again).
     */
    public Uni<TaskView> await(String tenantId, String taskId, Duration wait, BiPredicate<TaskView, TaskView> news) {
        if (wait.isZero() || wait.isNegative()) {
            return get(tenantId, taskId);
        }
        return terminal(tenantId, taskId).orElseGet(() ->
                Uni.createFrom().emitter(emitter -> new Waiter(tenantId, taskId, wait, news, emitter).start()));
    }

    /** The caller's task if it is terminal and in memory (it will never change again), or the failure of that check. */
    private Optional<Uni<TaskView>> terminal(String tenantId, String taskId) {
        try {
            return cache.terminal(tenantId, taskId).map(task -> Uni.createFrom().item(task));
        } catch (RuntimeException e) {
            return Optional.of(Uni.createFrom().failure(e));
        }
    }

    /** Convenience predicate: news when the status differs from {@code known} (or from the first read when null). */
    public static BiPredicate<TaskView, TaskView> statusChangedFrom(TaskStatus known) {
        return (first, current) -> current.status() != (known == null ? first.status() : known);
    }

    private Uni<TaskView> read(String tenantId, String taskId) {
        return Uni.createFrom().completionStage(() ->
                vertx.executeBlocking(() -> reads.find(tenantId, taskId), false).toCompletionStage());
    }

    /**
     * A read that began no earlier than {@code notBefore} (System.nanoTime): concurrent waiters
     * woken by one notification share one database read, but never one that began before they
     * were woken (it could miss the change that woke them).
     */
    private Uni<TaskView> freshRead(String tenantId, String taskId, long notBefore) {
        return Uni.createFrom().deferred(() -> {
            String key = tenantId + '\n' + taskId;
            SharedRead current = inflight.get(key);
            if (current != null && current.startedAt() - notBefore >= 0) {
                return Uni.createFrom().completionStage(current.result());
            }
            Optional<Uni<TaskView>> ended = terminal(tenantId, taskId);
            if (ended.isPresent()) {
                return ended.get();
            }
            SharedRead mine = new SharedRead(System.nanoTime(), new CompletableFuture<>());
            inflight.put(key, mine);
            vertx.executeBlocking(() -> reads.find(tenantId, taskId), false).onComplete(done -> {
                inflight.remove(key, mine);
                if (done.succeeded()) {
                    mine.result().complete(done.result());
                } else {
                    mine.result().completeExceptionally(done.cause());
                }
            });
            return Uni.createFrom().completionStage(mine.result());
        });
    }

    private record SharedRead(long startedAt, CompletableFuture<TaskView> result) {
    }

    /** One waiting poll: subscribe first, then read, so that no change can fall between the two. */
    private final class Waiter {

        private final String tenantId;
        private final String taskId;
        private final Duration wait;
        private final BiPredicate<TaskView, TaskView> news;
        private final UniEmitter<? super TaskView> emitter;
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicBoolean reading = new AtomicBoolean();
        private final AtomicBoolean wokenWhileReading = new AtomicBoolean();
        private final AtomicLong notBefore = new AtomicLong(System.nanoTime());
        private volatile TaskView first;
        private volatile TaskChanges.Subscription subscription;
        private volatile long timer = -1;

        Waiter(String tenantId, String taskId, Duration wait, BiPredicate<TaskView, TaskView> news,
               UniEmitter<? super TaskView> emitter) {
            this.tenantId = tenantId;
            this.taskId = taskId;
            this.wait = wait;
            this.news = news;
            this.emitter = emitter;
        }

        void start() {
            emitter.onTermination(this::cleanup);
            subscription = changes.listen(taskId, change -> wake(change.receivedAt()));
            timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> deadline());
            wake(System.nanoTime());
        }

        private void wake(long heardAt) {
            if (done.get()) {
                return;
            }
            notBefore.accumulateAndGet(heardAt, (a, b) -> b - a > 0 ? b : a);
            wokenWhileReading.set(true);
            if (reading.compareAndSet(false, true)) {
                readAgain();
            }
        }

        private void readAgain() {
            wokenWhileReading.set(false);
            freshRead(tenantId, taskId, notBefore.get()).subscribe().with(task -> {
                if (first == null) {
                    first = task;
                }
                if (task.status().isTerminal() || news.test(first, task)) {
                    finish(task);
                    return;
                }
                reading.set(false);
                if (wokenWhileReading.get() && reading.compareAndSet(false, true)) {
                    readAgain();
                }
            }, this::fail);
        }

        private void deadline() {
            if (!done.get()) {
                freshRead(tenantId, taskId, System.nanoTime()).subscribe().with(this::finish, this::fail);
            }
        }

        private void finish(TaskView task) {
            if (done.compareAndSet(false, true)) {
                cleanup();
                emitter.complete(task);
            }
        }

        private void fail(Throwable failure) {
            if (done.compareAndSet(false, true)) {
                cleanup();
                emitter.fail(failure);
            }
        }

        private void cleanup() {
            done.set(true);
            TaskChanges.Subscription s = subscription;
            if (s != null) {
                s.close();
            }
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
