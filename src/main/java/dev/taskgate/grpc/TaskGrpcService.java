package dev.taskgate.grpc;

import dev.taskgate.api.TaskMessages;
import dev.taskgate.auth.ApiKeys;
import dev.taskgate.proto.v1.CancelTaskRequest;
import dev.taskgate.proto.v1.CancelTaskResponse;
import dev.taskgate.proto.v1.GetTaskRequest;
import dev.taskgate.proto.v1.StreamTaskEventsRequest;
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
import java.util.function.Function;

/** gRPC adapter over {@link TaskService}: authenticate, map, call. */
@GrpcService
public class TaskGrpcService extends TaskServiceGrpc.TaskServiceImplBase {

    private final TaskService tasks;
    private final ApiKeys apiKeys;

    public TaskGrpcService(TaskService tasks, ApiKeys apiKeys) {
        this.tasks = tasks;
        this.apiKeys = apiKeys;
    }

    @Override
    @Blocking
    public void submitTask(SubmitTaskRequest request, StreamObserver<Task> response) {
        unary(response, tenant -> TaskMessages.toMessage(tasks.submit(tenant, new SubmitCommand(
                request.getQuery(),
                request.getSessionId(),
                modeName(request),
                request.hasContext() ? GrpcValues.toMap(request.getContext()) : null,
                request.getTimeoutSeconds() == 0 ? null : (long) request.getTimeoutSeconds(),
                request.getProvider(),
                request.getModel(),
                request.getModelTier()))));
    }

    @Override
    @Blocking
    public void getTask(GetTaskRequest request, StreamObserver<Task> response) {
        unary(response, tenant -> TaskMessages.toMessage(tasks.get(tenant, request.getTaskId())));
    }

    @Override
    @Blocking
    public void cancelTask(CancelTaskRequest request, StreamObserver<CancelTaskResponse> response) {
        unary(response, tenant -> {
            CancelResult result = tasks.cancel(tenant, request.getTaskId(), request.getReason());
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
            tasks.streamEvents(tenant, request.getTaskId(), request.getAfterSeq(), new EventSink() {
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
