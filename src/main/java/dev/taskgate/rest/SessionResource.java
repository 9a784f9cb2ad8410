package dev.taskgate.rest;

import dev.taskgate.api.RestJson;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.api.TaskRequests;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.task.TaskReads;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

/** Sessions of the caller's tenant: what each cost, when it was active, and its tasks. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final TaskReads reads;
    private final CallerTenant caller;

    public SessionResource(TaskReads reads, CallerTenant caller) {
        this.reads = reads;
        this.caller = caller;
    }

    @GET
    public byte[] list(@RestQuery("limit") String limit, @RestQuery("page_token") String pageToken) {
        return RestJson.bytes(TaskMessages.sessions(reads.sessions(caller.id(), TaskRequests.sessions(limit, pageToken))));
    }

    @GET
    @Path("/{id}")
    public byte[] get(@PathParam("id") String id) {
        return RestJson.bytes(TaskMessages.session(reads.session(caller.id(), id)));
    }

    /** The session's tasks, newest first, with the same filters and paging as {@code GET /api/v1/tasks}. */
    @GET
    @Path("/{id}/tasks")
    public byte[] tasks(@PathParam("id") String id, @RestQuery("status") List<String> status,
                        @RestQuery("mode") String mode, @RestQuery("created_after") String createdAfter,
                        @RestQuery("created_before") String createdBefore, @RestQuery("limit") String limit,
                        @RestQuery("page_token") String pageToken) {
        return RestJson.bytes(TaskMessages.page(reads.sessionTasks(caller.id(), id,
                TaskRequests.list(status, null, mode, createdAfter, createdBefore, null, limit, pageToken))));
    }
}
