package dev.taskgate.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.events.EventSink;
import dev.taskgate.events.TaskEvent;
import dev.taskgate.task.TaskService;
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

import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A task's events: the stored history as JSON pages, and a resumable Server-Sent Events stream. */
@Path("/api/v1/tasks/{id}")
public class TaskEventResource {

    private static final int DEFAULT_PAGE = 100;
    /** Clients reconnect after this many milliseconds (SSE {@code retry:}). */
    private static final long RECONNECT_MILLIS = 2_000;

    private final TaskService tasks;
    private final CallerTenant caller;
    private final ObjectMapper json;

    public TaskEventResource(TaskService tasks, CallerTenant caller, ObjectMapper json) {
        this.tasks = tasks;
        this.caller = caller;
        this.json = json;
    }

    @GET
    @Path("/events")
    @Produces(MediaType.APPLICATION_JSON)
    public EventJson.Page events(@PathParam("id") String id, @QueryParam("after") String after,
                                 @QueryParam("limit") String limit) {
        int pageSize = limit == null ? DEFAULT_PAGE : number(limit, "limit").intValue();
        List<TaskEvent> page = tasks.events(caller.id(), id, after == null ? 0 : number(after, "after"), pageSize);
        Long next = page.size() == pageSize ? page.get(page.size() - 1).seq() : null;
        return new EventJson.Page(page.stream().map(EventJson::of).toList(), next);
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
                       @Context SseEventSink sink, @Context Sse sse) {
        String resumeFrom = lastEventId != null && !lastEventId.isBlank() ? lastEventId : after;
        long afterSeq = resumeFrom == null ? 0 : number(resumeFrom.trim(), "Last-Event-ID/after");
        tasks.streamEvents(caller.id(), id, afterSeq, flag(includePartial, "include_partial"), new SseSink(sink, sse));
    }

    private static boolean flag(String value, String name) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.isEmpty() || value.equalsIgnoreCase("true")) {
            return true;
        }
        throw TaskgateException.invalid(name + " must be true or false");
    }

    private static Long number(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw TaskgateException.invalid(name + " must be an integer");
        }
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
                    .data(String.class, toJson(event))
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

        private String toJson(TaskEvent event) {
            try {
                return json.writeValueAsString(EventJson.of(event));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
