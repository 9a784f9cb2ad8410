package dev.taskgate.grpc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.taskgate.proto.v1.CancelTaskRequest;
import dev.taskgate.proto.v1.CancelTaskResponse;
import dev.taskgate.proto.v1.ExecutionMode;
import dev.taskgate.proto.v1.GetTaskRequest;
import dev.taskgate.proto.v1.SubmitTaskRequest;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.TaskServiceGrpc;
import dev.taskgate.proto.v1.TaskStatus;
import dev.taskgate.support.Api;
import dev.taskgate.support.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gRPC TaskService on the HTTP port: each RPC and each error status. */
@QuarkusTest
class TaskGrpcServiceTest {

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = Grpc.open();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        Grpc.close(channel);
    }

    private TaskServiceGrpc.TaskServiceBlockingStub stub(String key, String header) {
        return Grpc.tasks(channel, Collections.singletonMap(header, key)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private TaskServiceGrpc.TaskServiceBlockingStub tasks() {
        return stub(Api.KEY, "x-api-key");
    }

    private static Struct simulate(String field, Value value) {
        return Struct.newBuilder().putFields("simulate", Value.newBuilder()
                .setStructValue(Struct.newBuilder().putFields(field, value)).build()).build();
    }

    private Task awaitTerminal(String id) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Task task = tasks().getTask(GetTaskRequest.newBuilder().setTaskId(id).build());
            if (task.getStatus().getNumber() >= TaskStatus.TASK_STATUS_COMPLETED_VALUE) {
                return task;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + id + " did not finish");
    }

    private static void assertStatus(Status.Code code, String description, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        if (description != null) {
            assertEquals(description, e.getStatus().getDescription());
        }
    }

    @Test
    void submitGetAndComplete() throws InterruptedException {
        Task submitted = tasks().submitTask(SubmitTaskRequest.newBuilder()
                .setQuery("What is the capital of France?").setSessionId("grpc-session")
                .setMode(ExecutionMode.EXECUTION_MODE_STANDARD).build());
        assertTrue(submitted.getTaskId().matches("task_[0-9A-Z]{26}"));
        assertEquals(TaskStatus.TASK_STATUS_QUEUED, submitted.getStatus());
        assertEquals("grpc-session", submitted.getSessionId());
        assertEquals(ExecutionMode.EXECUTION_MODE_STANDARD, submitted.getMode());
        assertFalse(submitted.hasResult());
        assertFalse(submitted.hasUsage());
        assertTrue(submitted.getCreatedAt().getSeconds() > 0);

        Task done = awaitTerminal(submitted.getTaskId());
        assertEquals(TaskStatus.TASK_STATUS_COMPLETED, done.getStatus());
        assertTrue(done.getResult().contains("local model"));
        assertEquals(done.getResult(), done.getResponse().getFieldsOrThrow("result").getStringValue());
        assertEquals("local", done.getProvider());
        assertEquals(done.getUsage().getInputTokens() + done.getUsage().getOutputTokens(),
                done.getUsage().getTotalTokens());
        assertEquals("", done.getError());
    }

    @Test
    void restAndGrpcShowTheSameTask() throws InterruptedException {
        Task done = awaitTerminal(tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("same?").build()).getTaskId());
        var json = Api.get(done.getTaskId());
        assertEquals(done.getStatus().name(), json.getString("status"));
        assertEquals(done.getResult(), json.getString("result"));
        assertEquals(done.getSessionId(), json.getString("session_id"));
        assertEquals(done.getUsage().getTotalTokens(), json.getLong("usage.total_tokens"));
    }

    @Test
    void failedTaskCarriesTheError() throws InterruptedException {
        Task submitted = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("fail")
                .setContext(simulate("error", Value.newBuilder().setStringValue("LLM service unavailable: connection timeout").build()))
                .build());
        Task failed = awaitTerminal(submitted.getTaskId());
        assertEquals(TaskStatus.TASK_STATUS_FAILED, failed.getStatus());
        assertEquals("LLM service unavailable: connection timeout", failed.getError());
    }

    @Test
    void cancelRunningThenRepeatThenConflictAfterCompletion() throws InterruptedException {
        Task slow = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("slow")
                .setContext(simulate("delay_ms", Value.newBuilder().setNumberValue(30_000).build())).build());
        CancelTaskResponse cancelled = tasks().cancelTask(CancelTaskRequest.newBuilder()
                .setTaskId(slow.getTaskId()).setReason("stop").build());
        assertTrue(cancelled.getSuccess());
        assertEquals(TaskStatus.TASK_STATUS_CANCELLED, cancelled.getStatus());
        assertEquals(slow.getTaskId(), cancelled.getTaskId());
        CancelTaskResponse again = tasks().cancelTask(CancelTaskRequest.newBuilder().setTaskId(slow.getTaskId()).build());
        assertEquals("Task already cancelled", again.getMessage());

        Task quick = awaitTerminal(tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("quick").build()).getTaskId());
        assertStatus(Status.Code.FAILED_PRECONDITION, "Task has already completed and cannot be cancelled",
                () -> tasks().cancelTask(CancelTaskRequest.newBuilder().setTaskId(quick.getTaskId()).build()));
    }

    @Test
    void authenticationErrors() {
        GetTaskRequest get = GetTaskRequest.newBuilder().setTaskId("task_abc123").build();
        assertStatus(Status.Code.UNAUTHENTICATED, "Unauthorized", () -> stub(null, "x-api-key").getTask(get));
        assertStatus(Status.Code.UNAUTHENTICATED, "Unauthorized", () -> stub("sk_wrong", "x-api-key").getTask(get));
        assertStatus(Status.Code.UNAUTHENTICATED, "Unauthorized", () -> stub(null, "x-api-key")
                .submitTask(SubmitTaskRequest.newBuilder().setQuery("q").build()));
        assertStatus(Status.Code.NOT_FOUND, "Task not found",
                () -> stub("Bearer " + Api.KEY, "authorization").getTask(get));
    }

    @Test
    void invalidArgumentsAndMissingTasks() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "query is required and must not be empty",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().build()));
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, "query is 40000 bytes; the limit is 32768 bytes",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q".repeat(40_000)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "timeout_seconds must be between 1 and 3600",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q").setTimeoutSeconds(-1).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "Unknown mode 99: expected EXECUTION_MODE_SIMPLE, EXECUTION_MODE_STANDARD or EXECUTION_MODE_COMPLEX",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q").setModeValue(99).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "Unknown provider 'nope': expected one of local, openai, anthropic",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q").setProvider("nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "Unknown model 'gpt-nope' for provider 'openai'",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q").setProvider("openai")
                        .setModel("gpt-nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "Unknown model_tier 'huge': expected one of large, small",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q").setModelTier("huge").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, null,
                () -> tasks().getTask(GetTaskRequest.newBuilder().setTaskId("bad id!").build()));
        assertStatus(Status.Code.NOT_FOUND, "Task not found",
                () -> tasks().getTask(GetTaskRequest.newBuilder().setTaskId("task_missing").build()));
        assertStatus(Status.Code.NOT_FOUND, "Task not found",
                () -> tasks().cancelTask(CancelTaskRequest.newBuilder().setTaskId("task_missing").build()));
    }

    @Test
    void anotherTenantGetsNotFound() {
        Task mine = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("mine").build());
        assertStatus(Status.Code.NOT_FOUND, "Task not found", () -> stub(Api.OTHER_TENANT_KEY, "x-api-key")
                .getTask(GetTaskRequest.newBuilder().setTaskId(mine.getTaskId()).build()));
        assertStatus(Status.Code.NOT_FOUND, "Task not found", () -> stub(Api.OTHER_TENANT_KEY, "x-api-key")
                .cancelTask(CancelTaskRequest.newBuilder().setTaskId(mine.getTaskId()).build()));
    }

    @Test
    void reflectionListsTheTaskService() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    public void onNext(ServerReflectionResponse value) { answer.complete(value); }
                    public void onError(Throwable t) { answer.completeExceptionally(t); }
                    public void onCompleted() { }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
        requests.onCompleted();
        assertTrue(response.getListServicesResponse().getServiceList().stream()
                .anyMatch(s -> s.getName().equals("taskgate.v1.TaskService")), response.toString());
    }
}
