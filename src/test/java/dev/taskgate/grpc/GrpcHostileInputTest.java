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

    /** SubmitTask with the given bytes as its message; the status it ends with. */
    private Status submitRaw(byte[] message) {
        io.grpc.MethodDescriptor.Marshaller<byte[]> raw = new io.grpc.MethodDescriptor.Marshaller<>() {
            @Override
            public java.io.InputStream stream(byte[] value) {
                return new java.io.ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(java.io.InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), Api.KEY);
        io.grpc.Channel authed = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> io.grpc.stub.ClientCalls.blockingUnaryCall(
                authed, TaskServiceGrpc.getSubmitTaskMethod().toBuilder(raw, raw).build(),
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), message));
        return e.getStatus();
    }

    /** A SubmitTaskRequest whose context nests {@code depth} levels, written by hand: protobuf's own writer overflows the stack. */
    private static byte[] deepSubmitRequest(int depth) {
        com.google.protobuf.ByteString struct = nested(1).toByteString();
        for (int i = 1; i < depth; i++) {
            com.google.protobuf.ByteString entry = field(1, com.google.protobuf.ByteString.copyFromUtf8("a"))  // map key
                    .concat(field(2, field(5, struct)));                                                  // value: Value.struct_value
            struct = field(1, entry);                                                                     // Struct.fields
        }
        return SubmitTaskRequest.newBuilder().setQuery("q").build().toByteString().concat(field(4, struct)).toByteArray();
    }

    private static com.google.protobuf.ByteString field(int number, com.google.protobuf.ByteString bytes) {
        try {
            com.google.protobuf.ByteString.Output out = com.google.protobuf.ByteString.newOutput();
            com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(out);
            coded.writeBytes(number, bytes);
            coded.flush();
            return out.toByteString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

    /** Deeper than protobuf parses at all (1000 levels of Struct): refused with the same message, not INTERNAL. */
    @Test
    void aContextTooDeepToParseIsRefusedLikeRest() {
        Status status = submitRaw(deepSubmitRequest(1100));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertEquals("context is nested more than 32 levels deep", status.getDescription());
    }

    /** Bytes that are no SubmitTaskRequest: INVALID_ARGUMENT, and the connection serves the next call. */
    @Test
    void bytesThatAreNoMessageAreInvalidArgument() {
        byte[][] garbage = {
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},  // a tag that is no varint
                {0x0A, 0x64, 'q'},                                    // query of 100 bytes, 1 sent
                {0x0F},                                               // wire type 7
                {0x0A, 0x02, (byte) 0xC3, 0x28}};                     // query that is not UTF-8
        for (byte[] bytes : garbage) {
            Status status = submitRaw(bytes);
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
            assertEquals("The request is not a valid protobuf message of its type", status.getDescription());
        }
        assertEquals(TaskStatus.TASK_STATUS_QUEUED,
                tasks().submitTask(SubmitTaskRequest.newBuilder().setQuery("after garbage").build()).getStatus());
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
