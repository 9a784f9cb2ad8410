package dev.taskgate.events;

import java.util.concurrent.CompletionStage;

/** Where a followed task's events go: an SSE connection or a gRPC stream. */
public interface EventSink {

    CompletionStage<?> send(TaskEvent event);

    /** Keeps an idle connection alive (an SSE comment); may do nothing. */
    void heartbeat();

    /** Ends the stream after the terminal event. */
    void close();

    /**
     * Ends the stream early because this process is shutting down; the client resumes on another
     * replica from {@code lastSeq}, losing nothing.
     */
    void interrupt(long lastSeq);

    /** Whether the client has gone away. */
    boolean isClosed();
}
