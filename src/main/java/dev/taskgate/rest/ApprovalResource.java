package dev.taskgate.rest;

import dev.taskgate.api.RestJson;
import dev.taskgate.api.SettingsBody;
import dev.taskgate.api.TaskMessages;
import dev.taskgate.api.TaskRequests;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.task.TaskReads;
import dev.taskgate.task.TenantSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A reviewer's inbox of approvals and the tenant's defaults for new tasks (a decision is a task
 * request: {@code POST /api/v1/tasks/{id}/approvals/{approval_id}}, in {@link TaskResource}).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalResource {

    private final TaskReads reads;
    private final TenantSettings settings;
    private final CallerTenant caller;

    public ApprovalResource(TaskReads reads, TenantSettings settings, CallerTenant caller) {
        this.reads = reads;
        this.settings = settings;
        this.caller = caller;
    }

    /**
     * The caller's approvals, oldest request first: {@code status} (pending, approved, refused,
     * expired), {@code task_id}, {@code limit} (1-100, default 20) and {@code page_token}.
     */
    @GET
    @Path("/approvals")
    @Operation(summary = "List approvals", description = "?status=pending is a reviewer's inbox, oldest first.")
    public byte[] list(@RestQuery("status") String status, @RestQuery("task_id") String taskId,
                       @RestQuery("limit") String limit, @RestQuery("page_token") String pageToken) {
        return RestJson.bytes(TaskMessages.approvals(reads.approvals(caller.id(),
                TaskRequests.approvals(status, taskId, limit, pageToken))));
    }

    @GET
    @Path("/settings")
    @Operation(summary = "The tenant's defaults for new tasks")
    public byte[] settings() {
        return RestJson.bytes(TaskMessages.settings(settings.requireApproval(caller.id())));
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the tenant's defaults for new tasks", description = "{\"require_approval\": [\"calculator\"]}")
    public byte[] updateSettings(SettingsBody body) {
        if (body == null || body.requireApproval() == null) {
            throw TaskgateException.invalid("Request body is required: {\"require_approval\": [\"calculator\"]}");
        }
        return RestJson.bytes(TaskMessages.settings(settings.setRequireApproval(caller.id(), body.requireApproval())));
    }
}
