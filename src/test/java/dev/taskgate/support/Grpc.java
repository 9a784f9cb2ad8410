package dev.taskgate.support;

import dev.taskgate.proto.v1.TaskServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** gRPC helpers for tests: a plaintext channel to the test app and stubs carrying metadata. */
public final class Grpc {

    private Grpc() {
    }

    /** A channel to the gRPC service on the test app's HTTP port. */
    public static ManagedChannel open() {
        return ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
    }

    public static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A blocking TaskService stub sending {@code headers} (entries with null values are left out). */
    public static TaskServiceGrpc.TaskServiceBlockingStub tasks(ManagedChannel channel, Map<String, String> headers) {
        Metadata metadata = new Metadata();
        headers.forEach((name, value) -> {
            if (value != null) {
                metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
            }
        });
        return TaskServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }
}
