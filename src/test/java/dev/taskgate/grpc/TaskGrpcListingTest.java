package dev.taskgate.grpc;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.taskgate.proto.v1.CancelTaskRequest;
import dev.taskgate.proto.v1.GetSessionRequest;
import dev.taskgate.proto.v1.ListSessionsRequest;
import dev.taskgate.proto.v1.ListTasksRequest;
import dev.taskgate.proto.v1.ListTasksResponse;
import dev.taskgate.proto.v1.Session;
import dev.taskgate.proto.v1.SubmitTaskRequest;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.TaskServiceGrpc;
import dev.taskgate.proto.v1.TaskStatus;
import dev.taskgate.proto.v1.WaitTaskRequest;
import dev.taskgate.support.Api;
import dev.taskgate.support.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gRPC ListTasks, WaitTask, ListSessions, GetSession and idempotent SubmitTask. */
@QuarkusTest
class TaskGrpcListingTest {

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = Grpc.open();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        Grpc.close(channel);
    }

    private TaskServiceGrpc.TaskServiceBlockingStub stub(String key, String idempotencyKey) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-api-key", key);
        headers.put("idempotency-key", idempotencyKey);
        return Grpc.tasks(channel, headers).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private TaskServiceGrpc.TaskServiceBlockingStub tasks() {
        return stub(Api.KEY, null);
    }

    private static Struct slow() {
        return Struct.newBuilder().putFields("simulate", Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("delay_ms", Value.newBuilder().setNumberValue(600_000).build())).build()).build();
    }

    @Test
    void listTasksPagesAndFilters() {
        String session = "grpc-list-" + UUID.randomUUID();
        String a = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("a").setSessionId(session).build()).getTaskId();
        String b = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("b").setSessionId(session).build()).getTaskId();
        ListTasksResponse first = tasks().listTasks(ListTasksRequest.newBuilder().setSessionId(session).setLimit(1).build());
        assertEquals(List.of(b), first.getTasksList().stream().map(Task::getTaskId).toList());
        ListTasksResponse second = tasks().listTasks(ListTasksRequest.newBuilder().setSessionId(session).setLimit(1)
                .setPageToken(first.getNextPageToken()).build());
        assertEquals(List.of(a), second.getTasksList().stream().map(Task::getTaskId).toList());
        assertEquals("", second.getNextPageToken());
        assertEquals(0, tasks().listTasks(ListTasksRequest.newBuilder().setSessionId(session)
                .addStatuses(TaskStatus.TASK_STATUS_TIMEOUT).build()).getTasksCount());

        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> tasks().listTasks(ListTasksRequest.newBuilder().setLimit(101).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        bad = assertThrows(StatusRuntimeException.class,
                () -> tasks().listTasks(ListTasksRequest.newBuilder().setPageToken("nope").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        bad = assertThrows(StatusRuntimeException.class, () -> tasks().listTasks(ListTasksRequest.newBuilder()
                .addStatuses(TaskStatus.TASK_STATUS_UNSPECIFIED).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertEquals(0, stub(Api.OTHER_TENANT_KEY, null).listTasks(ListTasksRequest.newBuilder()
                .setSessionId(session).build()).getTasksCount());

        ListTasksResponse byIds = tasks().listTasks(ListTasksRequest.newBuilder().addIds(a).addIds(b)
                .addIds("task_01UNKNOWN00000000000000000").build());
        assertEquals(List.of(b, a), byIds.getTasksList().stream().map(Task::getTaskId).toList());
        assertEquals(0, stub(Api.OTHER_TENANT_KEY, null).listTasks(ListTasksRequest.newBuilder().addIds(a).build())
                .getTasksCount());
        bad = assertThrows(StatusRuntimeException.class,
                () -> tasks().listTasks(ListTasksRequest.newBuilder().addIds("not an id").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    }

    @Test
    void sessionsOverGrpc() {
        String session = "grpc-sess-" + UUID.randomUUID();
        tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("a").setSessionId(session).build());
        Session found = tasks().getSession(GetSessionRequest.newBuilder().setSessionId(session).build());
        assertEquals(1, found.getTaskCount());
        assertTrue(tasks().listSessions(ListSessionsRequest.newBuilder().setLimit(100).build()).getSessionsCount() >= 1);
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> stub(Api.OTHER_TENANT_KEY, null)
                .getSession(GetSessionRequest.newBuilder().setSessionId(session).build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    }

    @Test
    void waitTaskWakesOnChangeAndEndsAtTheDeadline() throws Exception {
        String id = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("slow").setContext(slow()).build())
                .getTaskId();
        Task running = tasks().waitTask(WaitTaskRequest.newBuilder().setTaskId(id).setWaitSeconds(10)
                .setKnownStatus(TaskStatus.TASK_STATUS_QUEUED).build());
        if (running.getStatus() == TaskStatus.TASK_STATUS_QUEUED) {
            running = tasks().waitTask(WaitTaskRequest.newBuilder().setTaskId(id).setWaitSeconds(10)
                    .setKnownStatus(TaskStatus.TASK_STATUS_QUEUED).build());
        }
        assertEquals(TaskStatus.TASK_STATUS_RUNNING, running.getStatus());

        long start = System.nanoTime();
        Task same = tasks().waitTask(WaitTaskRequest.newBuilder().setTaskId(id).setWaitSeconds(1).build());
        assertEquals(TaskStatus.TASK_STATUS_RUNNING, same.getStatus());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 900);

        CompletableFuture<Task> waiting = CompletableFuture.supplyAsync(() -> tasks().waitTask(
                WaitTaskRequest.newBuilder().setTaskId(id).setWaitSeconds(30).build()));
        Thread.sleep(500);
        tasks().cancelTask(CancelTaskRequest.newBuilder().setTaskId(id).build());
        start = System.nanoTime();
        assertEquals(TaskStatus.TASK_STATUS_CANCELLED, waiting.get(10, TimeUnit.SECONDS).getStatus());

        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> tasks().waitTask(
                WaitTaskRequest.newBuilder().setTaskId(id).setWaitSeconds(61).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> stub(Api.OTHER_TENANT_KEY, null)
                .waitTask(WaitTaskRequest.newBuilder().setTaskId(id).setWaitSeconds(1).build()));
        assertEquals(Status.Code.NOT_FOUND, other.getStatus().getCode());
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () -> stub("sk_nope", null)
                .waitTask(WaitTaskRequest.newBuilder().setTaskId(id).setWaitSeconds(1).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
    }

    @Test
    void submitWithAnIdempotencyKeyCreatesOneTask() {
        String key = UUID.randomUUID().toString();
        SubmitTaskRequest request = SubmitTaskRequest.newBuilder().setQuery("once").build();
        Task first = stub(Api.KEY, key).submitTask(request);
        Task again = stub(Api.KEY, key).submitTask(request);
        assertEquals(first.getTaskId(), again.getTaskId());
        StatusRuntimeException mismatch = assertThrows(StatusRuntimeException.class,
                () -> stub(Api.KEY, key).submitTask(SubmitTaskRequest.newBuilder().setQuery("twice").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, mismatch.getStatus().getCode());
    }

    @Test
    void callsOverTheKeysLimitAreResourceExhausted() {
        StatusRuntimeException limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            try {
                stub("sk_test_rate_limited_grpc", null).listTasks(ListTasksRequest.newBuilder().setLimit(1).build());
            } catch (StatusRuntimeException e) {
                limited = e;
            }
        }
        assertTrue(limited != null, "a burst of 3 is exhausted within 10 calls");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, limited.getStatus().getCode());
        assertTrue(limited.getTrailers().get(ApiKeyInterceptor.RETRY_AFTER) != null);
    }
}
