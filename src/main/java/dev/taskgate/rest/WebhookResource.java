package dev.taskgate.rest;

import dev.taskgate.api.RestJson;
import dev.taskgate.api.WebhookBody;
import dev.taskgate.api.WebhookMessages;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.webhooks.WebhookDeliveries;
import dev.taskgate.webhooks.WebhookEndpoints;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The tenant's webhook endpoints, its task secret and re-sends (see docs/webhooks.md). A task's
 * deliveries are a task request: {@code GET /api/v1/tasks/{id}/webhooks}, in {@link TaskResource}.
 */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final CallerTenant caller;

    public WebhookResource(WebhookEndpoints endpoints, WebhookDeliveries deliveries, CallerTenant caller) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a webhook endpoint",
            description = "{\"url\": \"https://...\", \"event_types\": [\"task.completed\"]}; the answer's secret is shown only this once.")
    public Response create(WebhookBody body) {
        if (body == null) {
            throw TaskgateException.invalid("Request body is required: {\"url\": \"https://...\"}");
        }
        return Response.status(201).entity(RestJson.bytes(WebhookMessages.endpoint(
                endpoints.create(caller.id(), body.url(), body.eventTypes())))).build();
    }

    @GET
    @Operation(summary = "List the tenant's webhook endpoints (without secrets)")
    public byte[] list() {
        return RestJson.bytes(WebhookMessages.endpoints(endpoints.list(caller.id())));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook endpoint; its pending deliveries are cancelled")
    public Response delete(@PathParam("id") String id) {
        endpoints.delete(caller.id(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate")
    @Operation(summary = "Rotate an endpoint's secret",
            description = "The new secret is shown only this once; the previous one signs too during the grace period.")
    public byte[] rotate(@PathParam("id") String id) {
        return RestJson.bytes(WebhookMessages.endpoint(endpoints.rotate(caller.id(), id)));
    }

    @POST
    @Path("/task-secret")
    @Operation(summary = "Rotate the secret of the tasks' own webhook_url",
            description = "Creates it the first time; the new secret is shown only this once.")
    public byte[] rotateTaskSecret() {
        return RestJson.bytes(WebhookMessages.secret(endpoints.rotateTaskSecret(caller.id())));
    }

    @POST
    @Path("/deliveries/{id}/resend")
    @Operation(summary = "Send a delivery again", description = "Same webhook-id and body; the retry schedule starts over.")
    public byte[] resend(@PathParam("id") String id) {
        return RestJson.bytes(WebhookMessages.delivery(deliveries.resend(caller.id(), id)));
    }
}
