package dev.taskgate.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.task.Task;
import dev.taskgate.task.TaskService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.URI;

@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    static final String WORKFLOW_ID = "X-Workflow-ID";

    private final TaskService tasks;
    private final CallerTenant caller;
    private final ObjectMapper json;

    public TaskResource(TaskService tasks, CallerTenant caller, ObjectMapper json) {
        this.tasks = tasks;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(SubmitTaskBody body) {
        if (body == null) {
            throw TaskgateException.invalid("Request body is required: {\"query\": \"...\"}");
        }
        Task task = tasks.submit(caller.id(), body.toCommand());
        return Response.accepted(TaskJson.of(TaskMessages.toMessage(task)))
                .location(URI.create("/api/v1/tasks/" + task.id))
                .header(WORKFLOW_ID, task.id)
                .build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        Task task = tasks.get(caller.id(), id);
        return Response.ok(TaskJson.of(TaskMessages.toMessage(task))).header(WORKFLOW_ID, task.id).build();
    }

    /** The body ({@code {"reason": "..."}}) is optional, so any content type, or none, is accepted. */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Response cancel(@PathParam("id") String id, byte[] body) throws IOException {
        String reason = body == null || body.length == 0 ? null : json.readValue(body, CancelTaskBody.class).reason();
        var result = tasks.cancel(caller.id(), id, reason);
        return Response.accepted(CancelJson.of(result)).header(WORKFLOW_ID, result.taskId()).build();
    }
}
