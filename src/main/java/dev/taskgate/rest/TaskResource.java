package dev.taskgate.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.api.DecisionBody;
import dev.taskgate.api.ReasonBody;
import dev.taskgate.api.RestJson;
import dev.taskgate.api.SubmitTaskBody;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.api.TaskRequests;
import dev.taskgate.api.WebhookMessages;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.task.CancelResult;
import dev.taskgate.task.CancelTask;
import dev.taskgate.task.DecideApproval;
import dev.taskgate.task.PauseTask;
import dev.taskgate.task.Replayable;
import dev.taskgate.task.SubmitTask;
import dev.taskgate.task.TaskReads;
import dev.taskgate.task.TaskView;
import dev.taskgate.task.TaskWatch;
import dev.taskgate.webhooks.WebhookDeliveries;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The REST adapter of a task's endpoints: submit, get (with long polls and ETags), list, cancel,
 * pause, resume and approval decisions. Each method only translates: the request through
 * api/TaskRequests to a use case in task/, the answer through RestJson. Its length is the eight
 * endpoints and their OpenAPI descriptions; events and streams are in {@link TaskEventResource}.
 */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    static final String WORKFLOW_ID = "X-Workflow-ID";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final String CACHE_CONTROL = "private, no-cache";

    private final SubmitTask submitTask;
    private final CancelTask cancelTask;
    private final PauseTask pauseTask;
    private final DecideApproval decideApproval;
    private final TaskReads reads;
    private final TaskWatch watch;
    private final TaskRendering rendering;
    private final CallerTenant caller;
    private final ObjectMapper json;
    private final TaskgateConfig.Polling polling;
    private final WebhookDeliveries webhooks;

    public TaskResource(SubmitTask submitTask, CancelTask cancelTask, PauseTask pauseTask, DecideApproval decideApproval,
                        TaskReads reads, TaskWatch watch, TaskRendering rendering, CallerTenant caller,
                        ObjectMapper json, TaskgateConfig.Polling polling, WebhookDeliveries webhooks) {
        this.webhooks = webhooks;
        this.decideApproval = decideApproval;
        this.submitTask = submitTask;
        this.cancelTask = cancelTask;
        this.pauseTask = pauseTask;
        this.reads = reads;
        this.watch = watch;
        this.rendering = rendering;
        this.caller = caller;
        this.json = json;
        this.polling = polling;
    }

    /**
     * With an {@code Idempotency-Key}, a repeat of the same request answers the original task
     * again (the header is read as sent: an empty one is refused, not ignored).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a task", description = "Answers 202 with the QUEUED task, Location and X-Workflow-ID.")
    @APIResponse(responseCode = "202", description = "Accepted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "queued",
                    value = ApiDocExamples.QUEUED)))
    public Response submit(SubmitTaskBody body, HttpServerRequest request) {
        Replayable<TaskView> submitted = submitTask.submit(caller.id(), TaskRequests.submit(body),
                request.getHeader(IDEMPOTENCY_KEY));
        TaskView task = submitted.value();
        Response.ResponseBuilder response = taskResponse(Response.accepted(), task, rendering.of(task))
                .location(URI.create("/api/v1/tasks/" + task.id()));
        if (submitted.replayed()) {
            response.header(REPLAYED, "true");
        }
        return response.build();
    }

    /**
     * The task, with an {@code ETag}; {@code If-None-Match} with the current tag answers 304.
     * With {@code ?wait=N} (seconds) the answer waits until the task has news: a status change,
     * or (with {@code If-None-Match}) any change from the client's copy; at the deadline it
     * answers the task as it is. Served without blocking a thread: terminal tasks from memory,
     * others with a short read on a worker thread; a waiting request is only a listener and a timer.
     */
    @GET
    @Path("/{id}")
    @Operation(summary = "Get a task's status, result and metadata",
            description = "Also a long poll with ?wait=<seconds>; ETag/If-None-Match answers 304 when unchanged.")
    @APIResponse(responseCode = "200", description = "The task; header X-Workflow-ID is the task id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
                    @ExampleObject(name = "queued", value = ApiDocExamples.QUEUED),
                    @ExampleObject(name = "running", value = ApiDocExamples.RUNNING),
                    @ExampleObject(name = "completed", value = ApiDocExamples.COMPLETED),
                    @ExampleObject(name = "failed", value = ApiDocExamples.FAILED)}))
    @APIResponse(responseCode = "401", description = "Missing or wrong API key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized",
                    value = ApiDocExamples.UNAUTHORIZED)))
    @APIResponse(responseCode = "404", description = "No such task for this tenant",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not found",
                    value = ApiDocExamples.NOT_FOUND)))
    @APIResponse(responseCode = "500", description = "Internal error",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "database error",
                    value = ApiDocExamples.SERVER_ERROR)))
    public Uni<Response> get(@PathParam("id") String id, @RestQuery("wait") String wait,
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        String tenant = caller.id();
        Duration waitFor = parseWait(wait);
        if (waitFor.isZero()) {
            return watch.get(tenant, id).map(current -> conditional(current, ifNoneMatch));
        }
        // One change may answer many waiting requests at once: let each build its answer on its own event loop.
        Context context = Vertx.currentContext();
        Uni<TaskView> task = watch.await(tenant, id, waitFor, ifNoneMatch == null
                ? TaskWatch.statusChangedFrom(null)
                : (first, current) -> !TaskRendering.matches(ifNoneMatch, rendering.of(current).etag()));
        if (context != null) {
            task = task.emitOn(command -> context.runOnContext(ignored -> command.run()));
        }
        return task.map(current -> conditional(current, ifNoneMatch));
    }

    /** The body ({@code {"reason": "..."}}) is optional, so any content type, or none, is accepted. */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Response cancel(@PathParam("id") String id, byte[] body, HttpServerRequest request) throws IOException {
        Replayable<CancelResult> result = cancelTask.cancel(caller.id(), id, reason(body),
                request.getHeader(IDEMPOTENCY_KEY));
        Response.ResponseBuilder response = Response.accepted(RestJson.bytes(TaskMessages.cancel(result.value())))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(WORKFLOW_ID, result.value().taskId());
        if (result.replayed()) {
            response.header(REPLAYED, "true");
        }
        return response.build();
    }

    /**
     * Pauses the task at its next step boundary; answers the task, PAUSED. The body
     * ({@code {"reason": "..."}}) is optional.
     */
    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Pause a task", description = "It stops at its next step boundary; 409 once it has ended.")
    public Response pause(@PathParam("id") String id, byte[] body) throws IOException {
        TaskView task = pauseTask.pause(caller.id(), id, reason(body));
        return taskResponse(Response.ok(), task, rendering.of(task)).build();
    }

    /** Lets a paused task go on where it stopped; answers the task. The body is optional. */
    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Resume a paused task", description = "It stays PAUSED while an approval is pending; 409 once it has ended.")
    public Response resume(@PathParam("id") String id, byte[] body) throws IOException {
        TaskView task = pauseTask.resume(caller.id(), id, reason(body));
        return taskResponse(Response.ok(), task, rendering.of(task)).build();
    }

    @POST
    @Path("/{id}/approvals/{approval_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve or refuse a tool call",
            description = "{\"approved\": true|false, \"feedback\": \"...\"}; 409 when already decided or expired.")
    public byte[] decide(@PathParam("id") String taskId, @PathParam("approval_id") String approvalId, DecisionBody body) {
        if (body == null) {
            throw TaskgateException.invalid("Request body is required: {\"approved\": true|false, \"feedback\": \"...\"}");
        }
        return RestJson.bytes(TaskMessages.approval(decideApproval.decide(caller.id(), taskId, approvalId, body.approved(),
                body.feedback())));
    }

    private String reason(byte[] body) throws IOException {
        ReasonBody parsed = body == null || body.length == 0 ? null : json.readValue(body, ReasonBody.class);
        return parsed == null ? null : parsed.reason();
    }

    /**
     * The caller's tasks, newest first: {@code status} (repeated or comma-separated),
     * {@code session_id}, {@code mode}, {@code created_after}, {@code created_before}
     * (RFC 3339), {@code ids} (up to 100, repeated or comma-separated), {@code limit} (1-100,
     * default 20, or the number of {@code ids}) and {@code page_token}.
     */
    @GET
    public byte[] list(@RestQuery("status") List<String> status, @RestQuery("session_id") String sessionId,
                       @RestQuery("mode") String mode, @RestQuery("created_after") String createdAfter,
                       @RestQuery("created_before") String createdBefore, @RestQuery("limit") String limit,
                       @RestQuery("page_token") String pageToken, @RestQuery("ids") List<String> ids) {
        return RestJson.bytes(TaskMessages.page(reads.list(caller.id(),
                TaskRequests.list(status, sessionId, mode, createdAfter, createdBefore, ids, limit, pageToken))));
    }

    /** The task's webhook deliveries, oldest first, each with its attempts (time, HTTP status, error) and next retry. */
    @GET
    @Path("/{id}/webhooks")
    @Operation(summary = "The task's webhook deliveries and their attempts")
    public byte[] webhooks(@PathParam("id") String id) {
        return RestJson.bytes(WebhookMessages.deliveries(webhooks.ofTask(caller.id(), id)));
    }

    private Response conditional(TaskView task, String ifNoneMatch) {
        TaskRendering.Rendered rendered = rendering.of(task);
        if (TaskRendering.matches(ifNoneMatch, rendered.etag())) {
            return taskHeaders(Response.notModified(), task, rendered).build();
        }
        return taskResponse(Response.ok(), task, rendered).build();
    }

    private Response.ResponseBuilder taskResponse(Response.ResponseBuilder builder, TaskView task,
                                                  TaskRendering.Rendered rendered) {
        return taskHeaders(builder.entity(rendered.body()).type(MediaType.APPLICATION_JSON_TYPE), task, rendered);
    }

    private Response.ResponseBuilder taskHeaders(Response.ResponseBuilder builder, TaskView task,
                                                 TaskRendering.Rendered rendered) {
        builder.header(WORKFLOW_ID, task.id())
                .header(HttpHeaders.ETAG, rendered.etag())
                .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        if (!task.status().isTerminal()) {
            builder.header(HttpHeaders.RETRY_AFTER, polling.retryAfterSeconds());
        }
        return builder;
    }

    private Duration parseWait(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(TaskRequests.wholeNumber(wait, polling.maxWaitSeconds(),
                "wait must be a whole number of seconds between 0 and " + polling.maxWaitSeconds()));
    }
}
