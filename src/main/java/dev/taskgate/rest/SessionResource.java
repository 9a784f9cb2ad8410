package dev.taskgate.rest;

import dev.taskgate.api.TaskMessages;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.task.TaskFilters;
import dev.taskgate.task.TaskService;
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

    private final TaskService tasks;
    private final CallerTenant caller;

    public SessionResource(TaskService tasks, CallerTenant caller) {
        this.tasks = tasks;
        this.caller = caller;
    }

    @GET
    public SessionListJson list(@RestQuery("limit") String limit, @RestQuery("page_token") String pageToken) {
        return SessionListJson.of(TaskMessages.toMessage(
                tasks.sessions(caller.id(), TaskFilters.limit(limit), pageToken)));
    }

    @GET
    @Path("/{id}")
    public SessionJson get(@PathParam("id") String id) {
        return SessionJson.of(TaskMessages.toMessage(tasks.session(caller.id(), id)));
    }

    /** The session's tasks, newest first, with the same filters and paging as {@code GET /api/v1/tasks}. */
    @GET
    @Path("/{id}/tasks")
    public TaskListJson tasks(@PathParam("id") String id, @RestQuery("status") List<String> status,
                              @RestQuery("mode") String mode, @RestQuery("created_after") String createdAfter,
                              @RestQuery("created_before") String createdBefore, @RestQuery("limit") String limit,
                              @RestQuery("page_token") String pageToken) {
        return TaskListJson.of(TaskMessages.toMessage(tasks.sessionTasks(caller.id(), id,
                TaskResource.query(status, null, mode, createdAfter, createdBefore, limit, pageToken, null))));
    }
}
