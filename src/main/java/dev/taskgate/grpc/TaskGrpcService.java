package dev.taskgate.grpc;

import dev.taskgate.api.ApiValues;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.api.TaskRequests;
import dev.taskgate.auth.ApiKeys;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.proto.v1.Approval;
import dev.taskgate.proto.v1.CancelTaskRequest;
import dev.taskgate.proto.v1.CancelTaskResponse;
import dev.taskgate.proto.v1.DecideApprovalRequest;
import dev.taskgate.proto.v1.GetSessionRequest;
import dev.taskgate.proto.v1.GetSettingsRequest;
import dev.taskgate.proto.v1.GetTaskRequest;
import dev.taskgate.proto.v1.ListApprovalsRequest;
import dev.taskgate.proto.v1.ListApprovalsResponse;
import dev.taskgate.proto.v1.ListSessionsRequest;
import dev.taskgate.proto.v1.ListSessionsResponse;
import dev.taskgate.proto.v1.ListTaskEventsRequest;
import dev.taskgate.proto.v1.ListTaskEventsResponse;
import dev.taskgate.proto.v1.ListTasksRequest;
import dev.taskgate.proto.v1.ListTasksResponse;
import dev.taskgate.proto.v1.PauseTaskRequest;
import dev.taskgate.proto.v1.ResumeTaskRequest;
import dev.taskgate.proto.v1.Session;
import dev.taskgate.proto.v1.Settings;
import dev.taskgate.proto.v1.StreamTaskEventsRequest;
import dev.taskgate.proto.v1.SubmitTaskRequest;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.TaskServiceGrpc;
import dev.taskgate.proto.v1.WaitTaskRequest;
import dev.taskgate.task.CancelTask;
import dev.taskgate.task.DecideApproval;
import dev.taskgate.task.PauseTask;
import dev.taskgate.task.SubmitTask;
import dev.taskgate.task.TaskEvents;
import dev.taskgate.task.TaskReads;
import dev.taskgate.task.TaskWatch;
import dev.taskgate.task.TenantSettings;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * gRPC adapter: every call is authenticated once, in {@link #call}, and runs without blocking the
 * event loop — reads of a task from memory or as a non-blocking read, everything else on a worker
 * thread. Requests and answers are mapped by {@code api}, exactly as for REST.
 */
@GrpcService
public class TaskGrpcService extends TaskServiceGrpc.TaskServiceImplBase {

    private final SubmitTask submitTask;
    private final CancelTask cancelTask;
    private final PauseTask pauseTask;
    private final DecideApproval decideApproval;
    private final TenantSettings settings;
    private final TaskReads reads;
    private final TaskWatch watch;
    private final TaskEvents events;
    private final ApiKeys apiKeys;
    private final int maxWaitSeconds;

    public TaskGrpcService(SubmitTask submitTask, CancelTask cancelTask, PauseTask pauseTask,
                           DecideApproval decideApproval, TenantSettings settings, TaskReads reads, TaskWatch watch,
                           TaskEvents events, ApiKeys apiKeys, TaskgateConfig.Polling polling) {
        this.submitTask = submitTask;
        this.cancelTask = cancelTask;
        this.pauseTask = pauseTask;
        this.decideApproval = decideApproval;
        this.settings = settings;
        this.reads = reads;
        this.watch = watch;
        this.events = events;
        this.apiKeys = apiKeys;
        this.maxWaitSeconds = polling.maxWaitSeconds();
    }

    @Override
    public ServerServiceDefinition bindService() {
        return DeepRequests.allow(super.bindService());
    }

    @Override
    public void submitTask(SubmitTaskRequest request, StreamObserver<Task> response) {
        String idempotencyKey = ApiKeyInterceptor.IDEMPOTENCY_KEY.get();
        call(response, tenant -> blocking(() -> TaskMessages.task(
                submitTask.submit(tenant, TaskRequests.submit(request), idempotencyKey).value())));
    }

    @Override
    public void getTask(GetTaskRequest request, StreamObserver<Task> response) {
        call(response, tenant -> watch.get(tenant, request.getTaskId()).map(TaskMessages::task));
    }

    /** Long poll: a listener plus a timer; the task is read only when woken and at the deadline. */
    @Override
    public void waitTask(WaitTaskRequest request, StreamObserver<Task> response) {
        call(response, tenant -> {
            if (request.getWaitSeconds() < 0 || request.getWaitSeconds() > maxWaitSeconds) {
                throw TaskgateException.invalid("wait_seconds must be between 0 and " + maxWaitSeconds);
            }
            return watch.await(tenant, request.getTaskId(), Duration.ofSeconds(request.getWaitSeconds()),
                    TaskWatch.statusChangedFrom(ApiValues.status(request.getKnownStatus()))).map(TaskMessages::task);
        });
    }

    @Override
    public void cancelTask(CancelTaskRequest request, StreamObserver<CancelTaskResponse> response) {
        String idempotencyKey = ApiKeyInterceptor.IDEMPOTENCY_KEY.get();
        call(response, tenant -> blocking(() -> TaskMessages.cancel(
                cancelTask.cancel(tenant, request.getTaskId(), request.getReason(), idempotencyKey).value())));
    }

    @Override
    public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> response) {
        call(response, tenant -> blocking(() -> TaskMessages.page(reads.list(tenant, TaskRequests.list(request)))));
    }

    @Override
    public void listTaskEvents(ListTaskEventsRequest request, StreamObserver<ListTaskEventsResponse> response) {
        int limit = request.getLimit() == 0 ? TaskEvents.DEFAULT_PAGE : request.getLimit();
        call(response, tenant -> blocking(() -> TaskMessages.events(
                events.page(tenant, request.getTaskId(), TaskRequests.afterSeq(request.getAfterSeq()), limit), limit)));
    }

    @Override
    public void listSessions(ListSessionsRequest request, StreamObserver<ListSessionsResponse> response) {
        call(response, tenant -> blocking(() -> TaskMessages.sessions(
                reads.sessions(tenant, TaskRequests.sessions(request)))));
    }

    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
        call(response, tenant -> blocking(() -> TaskMessages.session(reads.session(tenant, request.getSessionId()))));
    }

    @Override
    public void pauseTask(PauseTaskRequest request, StreamObserver<Task> response) {
        call(response, tenant -> blocking(() -> TaskMessages.task(
                pauseTask.pause(tenant, request.getTaskId(), request.getReason()))));
    }

    @Override
    public void resumeTask(ResumeTaskRequest request, StreamObserver<Task> response) {
        call(response, tenant -> blocking(() -> TaskMessages.task(
                pauseTask.resume(tenant, request.getTaskId(), request.getReason()))));
    }

    @Override
    public void decideApproval(DecideApprovalRequest request, StreamObserver<Approval> response) {
        call(response, tenant -> blocking(() -> TaskMessages.approval(decideApproval.decide(tenant, request.getTaskId(),
                request.getApprovalId(), request.hasApproved() ? request.getApproved() : null, request.getFeedback()))));
    }

    @Override
    public void listApprovals(ListApprovalsRequest request, StreamObserver<ListApprovalsResponse> response) {
        call(response, tenant -> blocking(() -> TaskMessages.approvals(
                reads.approvals(tenant, TaskRequests.approvals(request)))));
    }

    @Override
    public void getSettings(GetSettingsRequest request, StreamObserver<Settings> response) {
        call(response, tenant -> blocking(() -> TaskMessages.settings(settings.requireApproval(tenant))));
    }

    @Override
    public void updateSettings(Settings request, StreamObserver<Settings> response) {
        call(response, tenant -> blocking(() -> TaskMessages.settings(
                settings.setRequireApproval(tenant, request.getRequireApprovalList()))));
    }

    /**
     * Replays the stored events, then follows live ones until the terminal event. The stream
     * respects the client's flow control ({@link GrpcEventSink}): a client that does not read
     * holds at most a page of events in the server's memory.
     */
    @Override
    public void streamTaskEvents(StreamTaskEventsRequest request, StreamObserver<dev.taskgate.proto.v1.TaskEvent> response) {
        var observer = (ServerCallStreamObserver<dev.taskgate.proto.v1.TaskEvent>) response;
        GrpcEventSink sink = new GrpcEventSink(observer);
        authenticated().flatMap(tenant -> blocking(() -> events.stream(tenant, request.getTaskId(),
                TaskRequests.afterSeq(request.getAfterSeq()), request.getIncludePartial(), sink)))
                .subscribe().with(Runnable::run, failure -> observer.onError(GrpcErrors.toStatus(failure).asRuntimeException()));
    }

    /** Authenticates the call's key, then answers with what {@code work} produces for the tenant, or its failure. */
    private <R> void call(StreamObserver<R> response, Function<String, Uni<R>> work) {
        authenticated().flatMap(tenant -> work.apply(tenant)).subscribe().with(result -> {
            response.onNext(result);
            response.onCompleted();
        }, failure -> response.onError(GrpcErrors.toStatus(failure).asRuntimeException()));
    }

    /** The tenant of the call's key: from memory at once, otherwise looked up on a worker thread. */
    private Uni<String> authenticated() {
        String key = ApiKeyInterceptor.API_KEY.get();
        return Uni.createFrom().deferred(() -> {
            Optional<String> cached = apiKeys.authenticateCached(key);
            return cached.isPresent() ? Uni.createFrom().item(cached.get()) : blocking(() -> apiKeys.authenticate(key));
        });
    }

    private static <R> Uni<R> blocking(Supplier<R> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
