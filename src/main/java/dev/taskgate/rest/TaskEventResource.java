package dev.taskgate.rest;

import dev.taskgate.api.RestJson;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.api.TaskRequests;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.events.EventSink;
import dev.taskgate.events.TaskEvent;
import dev.taskgate.task.TaskEvents;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A task's events: the stored history as JSON pages, and a resumable Server-Sent Events stream. */
@Path("/api/v1/tasks/{id}")
public class TaskEventResource {

    private static final Logger LOG = Logger.getLogger(TaskEventResource.class);

    /** Clients reconnect after this many milliseconds (SSE {@code retry:}). */
    private static final long RECONNECT_MILLIS = 2_000;

    private final TaskEvents events;
    private final CallerTenant caller;

    public TaskEventResource(TaskEvents events, CallerTenant caller) {
        this.events = events;
        this.caller = caller;
    }

    @GET
    @Path("/events")
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] events(@PathParam("id") String id, @QueryParam("after") String after,
                         @QueryParam("limit") String limit) {
        long pageSize = limit == null ? TaskEvents.DEFAULT_PAGE : TaskRequests.integer("limit", limit);
        List<TaskEvent> page = events.page(caller.id(), id, after == null ? 0 : TaskRequests.integer("after", after),
                (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, pageSize)));
        return RestJson.bytes(TaskMessages.events(page, pageSize));
    }

    /**
     * {@code text/event-stream}: frames {@code id: <seq>}, {@code event: <type>}, {@code data: <json>};
     * resumes after {@code Last-Event-ID} (or {@code ?after=}); ends after the terminal event. With
     * {@code ?include_partial=true} also live {@code LLM_PARTIAL} frames, which have no {@code id}.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                       @QueryParam("after") String after, @QueryParam("include_partial") String includePartial,
                       @Context SseEventSink sink, @Context Sse sse, @Context RoutingContext request) {
        // a client that resets its connection is how streams often end: one quiet line, not an ERROR with a stack trace
        request.request().connection().exceptionHandler(gone -> LOG.debugf("task_id=%s event stream connection ended: %s",
                id.replaceAll("\\p{Cntrl}", " "), String.valueOf(gone.getMessage()).replaceAll("\\p{Cntrl}", " ")));
        String resumeFrom = lastEventId != null && !lastEventId.isBlank() ? lastEventId : after;
        long afterSeq = resumeFrom == null ? 0 : TaskRequests.integer("Last-Event-ID/after", resumeFrom.trim());
        Runnable follow = events.stream(caller.id(), id, afterSeq, TaskRequests.flag("include_partial", includePartial),
                new SseSink(sink, sse));
        // The framework sends the stream's status and headers after this method returns, on its own thread.
        // Events go out only after that, or the two threads would race to write the response head.
        request.addHeadersEndHandler(ignored -> follow.run());
    }

    private final class SseSink implements EventSink {
        private final SseEventSink sink;
        private final Sse sse;

        SseSink(SseEventSink sink, Sse sse) {
            this.sink = sink;
            this.sse = sse;
        }

        @Override
        public CompletionStage<?> send(TaskEvent event) {
            var frame = sse.newEventBuilder();
            if (event.seq() > 0) {  // live-only events have no seq: a reconnect resumes after the last stored one
                frame.id(Long.toString(event.seq()));
            }
            return sink.send(frame
                    .name(event.type().name())
                    .reconnectDelay(RECONNECT_MILLIS)
                    .data(String.class, RestJson.text(TaskMessages.event(event)))
                    .build());
        }

        @Override
        public void heartbeat() {
            sink.send(sse.newEventBuilder().comment("heartbeat").build());
        }

        @Override
        public void close() {
            sink.close();
        }

        @Override
        public void interrupt(long lastSeq) {
            sink.send(sse.newEventBuilder().comment("server shutting down; reconnect with Last-Event-ID: " + lastSeq)
                    .build()).whenComplete((ok, error) -> sink.close());
        }

        @Override
        public boolean isClosed() {
            return sink.isClosed();
        }

    }
}
