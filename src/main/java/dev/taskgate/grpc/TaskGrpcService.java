package dev.taskgate.grpc;

import dev.taskgate.api.TaskMessages;
import dev.taskgate.auth.ApiKeys;
import dev.taskgate.proto.v1.CancelTaskRequest;
import dev.taskgate.proto.v1.CancelTaskResponse;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.proto.v1.GetSessionRequest;
import dev.taskgate.proto.v1.GetTaskRequest;
import dev.taskgate.proto.v1.StreamTaskEventsRequest;
import dev.taskgate.proto.v1.ListSessionsRequest;
import dev.taskgate.proto.v1.ListSessionsResponse;
import dev.taskgate.proto.v1.ListTasksRequest;
import dev.taskgate.proto.v1.ListTasksResponse;
import dev.taskgate.proto.v1.Session;
import dev.taskgate.proto.v1.WaitTaskRequest;
import dev.taskgate.task.ExecutionMode;
import dev.taskgate.task.TaskFilters;
import dev.taskgate.task.TaskQuery;
import dev.taskgate.task.TaskStatus;
import dev.taskgate.task.TaskWatch;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import dev.taskgate.proto.v1.SubmitTaskRequest;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.TaskServiceGrpc;
import dev.taskgate.events.EventSink;
import dev.taskgate.events.TaskEvent;
import dev.taskgate.task.CancelResult;
import dev.taskgate.task.SubmitCommand;
import dev.taskgate.task.TaskService;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** gRPC adapter over {@link TaskService}: authenticate, map, call. */
@GrpcService
public class TaskGrpcService extends TaskServiceGrpc.TaskServiceImplBase {

    private final TaskService tasks;
    private final TaskWatch watch;
    private final ApiKeys apiKeys;
    private final int maxWaitSeconds;

    public TaskGrpcService(TaskService tasks, TaskWatch watch, ApiKeys apiKeys, TaskgateConfig config) {
        this.tasks = tasks;
        this.watch = watch;
        this.apiKeys = apiKeys;
        this.maxWaitSeconds = config.polling().maxWaitSeconds();
    }

    @Override
    @Blocking
    public void submitTask(SubmitTaskRequest request, StreamObserver<Task> response) {
        String idempotencyKey = ApiKeyInterceptor.IDEMPOTENCY_KEY.get();
        unary(response, tenant -> TaskMessages.toMessage(tasks.submit(tenant, new SubmitCommand(
                request.getQuery(),
                request.getSessionId(),
                modeName(request),
                request.hasContext() ? GrpcValues.toMap(request.getContext()) : null,
                request.getTimeoutSeconds() == 0 ? null : (long) request.getTimeoutSeconds(),
                request.getProvider(),
                request.getModel(),
                request.getModelTier()),
                idempotencyKey).value()));
    }

    @Override
    @Blocking
    public void getTask(GetTaskRequest request, StreamObserver<Task> response) {
        unary(response, tenant -> TaskMessages.toMessage(tasks.poll(tenant, request.getTaskId())));
    }

    @Override
    @Blocking
    public void cancelTask(CancelTaskRequest request, StreamObserver<CancelTaskResponse> response) {
        String idempotencyKey = ApiKeyInterceptor.IDEMPOTENCY_KEY.get();
        unary(response, tenant -> {
            CancelResult result = tasks.cancel(tenant, request.getTaskId(), request.getReason(), idempotencyKey).value();
            return CancelTaskResponse.newBuilder()
                    .setSuccess(result.success())
                    .setMessage(result.message())
                    .setTaskId(result.taskId())
                    .setStatus(TaskMessages.status(result.status()))
                    .build();
        });
    }

    @Override
    @Blocking
    public void streamTaskEvents(StreamTaskEventsRequest request, StreamObserver<dev.taskgate.proto.v1.TaskEvent> response) {
        var observer = (ServerCallStreamObserver<dev.taskgate.proto.v1.TaskEvent>) response;
        try {
            String tenant = apiKeys.authenticate(ApiKeyInterceptor.API_KEY.get());
            tasks.streamEvents(tenant, request.getTaskId(), request.getAfterSeq(), request.getIncludePartial(), new EventSink() {
                @Override
                public CompletionStage<?> send(TaskEvent event) {
                    synchronized (observer) {
                        observer.onNext(TaskMessages.toMessage(event));
                    }
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void heartbeat() {
                    // HTTP/2 keeps the connection alive
                }

                @Override
                public void close() {
                    synchronized (observer) {
                        observer.onCompleted();
                    }
                }

                @Override
                public void interrupt(long lastSeq) {
                    synchronized (observer) {
                        observer.onError(Status.UNAVAILABLE
                                .withDescription("Server shutting down: resume with after_seq=" + lastSeq)
                                .asRuntimeException());
                    }
                }

                @Override
                public boolean isClosed() {
                    return observer.isCancelled();
                }
            });
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e).asRuntimeException());
        }
    }

    @Override
    @Blocking
    public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> response) {
        unary(response, tenant -> TaskMessages.toMessage(tasks.list(tenant, query(request))));
    }

    @Override
    @Blocking
    public void listSessions(ListSessionsRequest request, StreamObserver<ListSessionsResponse> response) {
        unary(response, tenant -> TaskMessages.toMessage(tasks.sessions(tenant,
                request.getLimit() == 0 ? TaskQuery.DEFAULT_LIMIT : request.getLimit(), request.getPageToken())));
    }

    @Override
    @Blocking
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
        unary(response, tenant -> TaskMessages.toMessage(tasks.session(tenant, request.getSessionId())));
    }

    /**
     * Long poll without a blocked thread: runs on the event loop, waits as a listener plus a
     * timer, and reads the task on a worker thread only when woken and at the deadline.
     */
    @Override
    public void waitTask(WaitTaskRequest request, StreamObserver<Task> response) {
        String key = ApiKeyInterceptor.API_KEY.get();
        Uni<String> tenant;
        try {
            Optional<String> cached = apiKeys.authenticateCached(key);
            tenant = cached.isPresent() ? Uni.createFrom().item(cached.get())
                    : Uni.createFrom().item(() -> apiKeys.authenticate(key))
                            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
            if (request.getWaitSeconds() < 0 || request.getWaitSeconds() > maxWaitSeconds) {
                throw TaskgateException.invalid("wait_seconds must be between 0 and " + maxWaitSeconds);
            }
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        TaskStatus known = TaskMessages.status(request.getKnownStatus());
        tenant.flatMap(id -> watch.await(id, request.getTaskId(), Duration.ofSeconds(request.getWaitSeconds()),
                        TaskWatch.statusChangedFrom(known)))
                .subscribe().with(task -> {
                    response.onNext(TaskMessages.toMessage(task));
                    response.onCompleted();
                }, failure -> response.onError(GrpcErrors.toStatus(failure instanceof RuntimeException e
                        ? e : new IllegalStateException(failure)).asRuntimeException()));
    }

    private static TaskQuery query(ListTasksRequest request) {
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        for (int value : request.getStatusesValueList()) {
            TaskStatus status = TaskMessages.status(dev.taskgate.proto.v1.TaskStatus.forNumber(value) == null
                    ? dev.taskgate.proto.v1.TaskStatus.UNRECOGNIZED : dev.taskgate.proto.v1.TaskStatus.forNumber(value));
            if (status == null) {
                throw TaskgateException.invalid("statuses must be known, specified task statuses");
            }
            statuses.add(status);
        }
        ExecutionMode mode = switch (request.getMode()) {
            case EXECUTION_MODE_UNSPECIFIED -> null;
            case UNRECOGNIZED -> throw TaskgateException.invalid("Unknown mode " + request.getModeValue());
            default -> TaskFilters.mode(request.getMode().name());
        };
        Set<String> ids = TaskFilters.ids(request.getIdsList());
        return new TaskQuery(statuses, request.getSessionId().isEmpty() ? null : request.getSessionId(), mode,
                request.hasCreatedAfter() ? TaskMessages.instant(request.getCreatedAfter()) : null,
                request.hasCreatedBefore() ? TaskMessages.instant(request.getCreatedBefore()) : null,
                TaskFilters.limit(request.getLimit() == 0 ? null : Integer.toString(request.getLimit()), ids),
                request.getPageToken().isEmpty() ? null : request.getPageToken(), ids);
    }

    private static String modeName(SubmitTaskRequest request) {
        return switch (request.getMode()) {
            case EXECUTION_MODE_UNSPECIFIED -> null;
            case UNRECOGNIZED -> String.valueOf(request.getModeValue());
            default -> request.getMode().name();
        };
    }

    private <R> void unary(StreamObserver<R> response, Function<String, R> call) {
        R result;
        try {
            result = call.apply(apiKeys.authenticate(ApiKeyInterceptor.API_KEY.get()));
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
