package dev.taskgate.grpc;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.taskgate.proto.v1.GetTaskRequest;
import dev.taskgate.proto.v1.ListTaskEventsRequest;
import dev.taskgate.proto.v1.ListTasksRequest;
import dev.taskgate.proto.v1.StreamTaskEventsRequest;
import dev.taskgate.proto.v1.SubmitTaskRequest;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.TaskEvent;
import dev.taskgate.proto.v1.TaskServiceGrpc;
import dev.taskgate.proto.v1.TaskStatus;
import dev.taskgate.support.Api;
import dev.taskgate.support.Grpc;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gRPC side of hostile input: the same bounds as REST, with the same messages, and flow control. */
@QuarkusTest
class GrpcHostileInputTest {

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = Grpc.open();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        Grpc.close(channel);
    }

    private TaskServiceGrpc.TaskServiceBlockingStub tasks() {
        return Grpc.tasks(channel, Map.of("x-api-key", Api.KEY)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static void assertInvalid(String description, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(description, e.getStatus().getDescription());
    }

    private static Struct nested(int depth) {
        Struct inner = Struct.newBuilder().putFields("leaf", Value.newBuilder().setNumberValue(1).build()).build();
        for (int i = 1; i < depth; i++) {
            inner = Struct.newBuilder().putFields("a", Value.newBuilder().setStructValue(inner).build()).build();
        }
        return inner;
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

    @Test
    void textsAndNestingHaveTheBoundsOfRest() {
        assertInvalid("query must not contain the character U+0000",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("a\u0000b").build()));
        assertInvalid("query is required and must not be empty",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("\u200b\u00a0").build()));
        assertInvalid("context is nested more than 32 levels deep",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q").setContext(nested(40)).build()));
        assertInvalid("context is nested more than 32 levels deep",
                () -> tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q").setContext(nested(300)).build()));
        assertEquals(TaskStatus.TASK_STATUS_QUEUED, tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("q")
                .setContext(nested(30)).build()).getStatus());
    }

    @Test
    void timestampsOutOfRangeAreRefused() {
        assertInvalid("created_after must be a valid timestamp between the years 1 and 9999",
                () -> tasks().listTasks(ListTasksRequest.newBuilder()
                        .setCreatedAfter(Timestamp.newBuilder().setSeconds(1L << 62)).build()));
        assertInvalid("Invalid page_token: pass the next_page_token of a previous answer unchanged",
                () -> tasks().listTasks(ListTasksRequest.newBuilder().setPageToken("dDE6MTox.AAAA").build()));
    }

    @Test
    void aDeeplyNestedResultIsCarriedLikeRestShowsIt() throws InterruptedException {
        String deep = "{\"a\": ".repeat(200) + "1" + "}".repeat(200);
        Struct context = Struct.newBuilder().putFields("simulate", Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("result", Value.newBuilder().setStringValue(deep).build())).build()).build();
        String id = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("deep").setContext(context).build()).getTaskId();
        Task done = awaitTerminal(id);
        assertEquals(TaskStatus.TASK_STATUS_COMPLETED, done.getStatus());
        assertEquals(deep, done.getResponse().getFieldsOrThrow("result").getStringValue());
        assertEquals(1, tasks().listTasks(ListTasksRequest.newBuilder().addIds(id).build()).getTasksCount());
    }

    @Test
    void eventPagesOverGrpc() throws InterruptedException {
        String id = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("pages").build()).getTaskId();
        awaitTerminal(id);
        var first = tasks().listTaskEvents(ListTaskEventsRequest.newBuilder().setTaskId(id).setLimit(2).build());
        assertEquals(List.of(1L, 2L), first.getEventsList().stream().map(TaskEvent::getSeq).toList());
        assertEquals(2, first.getNextAfter());
        var rest = tasks().listTaskEvents(ListTaskEventsRequest.newBuilder().setTaskId(id).setAfterSeq(2).build());
        assertEquals("TASK_COMPLETED", rest.getEvents(rest.getEventsCount() - 1).getType());
        assertTrue(!rest.hasNextAfter());
    }

    /**
     * A client that does not read holds the stream at what HTTP/2 flow control lets through: the
     * server sends no further page meanwhile, and when the client reads it gets every event once,
     * in order.
     */
    @Test
    void aStreamWaitsForAClientThatDoesNotRead() throws Exception {
        String id = tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("What is 2 * 3?")
                .setMode(dev.taskgate.proto.v1.ExecutionMode.EXECUTION_MODE_COMPLEX).build()).getTaskId();
        awaitTerminal(id);
        List<TaskEvent> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<StreamTaskEventsRequest>> call = new CompletableFuture<>();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), Api.KEY);
        TaskServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .streamTaskEvents(StreamTaskEventsRequest.newBuilder().setTaskId(id).build(),
                        new ClientResponseObserver<StreamTaskEventsRequest, TaskEvent>() {
                            @Override
                            public void beforeStart(ClientCallStreamObserver<StreamTaskEventsRequest> stream) {
                                stream.disableAutoRequestWithInitial(1);
                                call.complete(stream);
                            }

                            @Override
                            public void onNext(TaskEvent event) {
                                received.add(event);
                            }

                            @Override
                            public void onError(Throwable t) {
                                done.completeExceptionally(t);
                            }

                            @Override
                            public void onCompleted() {
                                done.complete(null);
                            }
                        });
        Thread.sleep(500);
        assertEquals(1, received.size(), "the client asked for one event");
        call.get(5, TimeUnit.SECONDS).request(Integer.MAX_VALUE);
        done.get(10, TimeUnit.SECONDS);
        List<Long> seqs = received.stream().map(TaskEvent::getSeq).toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs);
        assertEquals("TASK_COMPLETED", received.get(received.size() - 1).getType());
    }
}
