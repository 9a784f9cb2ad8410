package dev.taskgate.grpc;

import dev.taskgate.api.TaskMessages;
import dev.taskgate.events.EventSink;
import dev.taskgate.events.EventType;
import dev.taskgate.events.TaskEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A task's events into a gRPC server stream, within the client's flow control: a sent event
 * completes when the stream can take more ({@code isReady}), so the follower sends the next page
 * only then; live {@code LLM_PARTIAL} pieces are dropped while the client is not reading (the
 * call's {@code LLM_OUTPUT} event carries the whole text).
 */
final class GrpcEventSink implements EventSink {

    private final ServerCallStreamObserver<dev.taskgate.proto.v1.TaskEvent> observer;
    private CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);

    GrpcEventSink(ServerCallStreamObserver<dev.taskgate.proto.v1.TaskEvent> observer) {
        this.observer = observer;
        observer.setOnReadyHandler(this::onReady);
        observer.setOnCancelHandler(this::onReady);
    }

    @Override
    public synchronized CompletionStage<?> send(TaskEvent event) {
        if (observer.isCancelled()) {
            return CompletableFuture.failedFuture(Status.CANCELLED.asRuntimeException());
        }
        if (event.type() == EventType.LLM_PARTIAL && !observer.isReady()) {
            return ready;
        }
        observer.onNext(TaskMessages.event(event));
        if (!observer.isReady() && ready.isDone()) {
            ready = new CompletableFuture<>();
        }
        return ready;
    }

    private synchronized void onReady() {
        if (observer.isReady() || observer.isCancelled()) {
            ready.complete(null);
        }
    }

    @Override
    public void heartbeat() {
        // HTTP/2 keeps the connection alive
    }

    @Override
    public synchronized void close() {
        observer.onCompleted();
    }

    @Override
    public synchronized void interrupt(long lastSeq) {
        observer.onError(Status.UNAVAILABLE.withDescription("Server shutting down: resume with after_seq=" + lastSeq)
                .asRuntimeException());
    }

    @Override
    public boolean isClosed() {
        return observer.isCancelled();
    }
}
