package dev.taskgate.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completes /q/openapi with what every operation of the API really answers: both ways to send the
 * key as security on each {@code /api} and {@code /admin} operation, the statuses common to all of
 * them (401, 429, 503; 400, 413 and 415 where a body or parameters are read; 404 under an id) with
 * the JSON error body, and the operations whose answers differ from what the code alone says.
 * {@code OpenApiContractTest} compares this document with the answers the running API gives.
 * It runs when the app is built: the document is complete in the package and nothing is
 * generated at start-up.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiContract implements OASFilter {

    static final String API_KEY = "ApiKey";
    static final String BEARER = "Bearer";

    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "401", "Missing or wrong API key",
            "429", "Over the rate limit: retry after the Retry-After header's seconds",
            "503", "The database or Temporal is unavailable, or this instance runs the worker role; retry later");

    /** Answers an operation gives beyond its annotations: "METHOD path" → status → description. */
    private static final Map<String, Map<String, String>> SPECIFIC = Map.of(
            "POST /api/v1/tasks", Map.of(
                    "202", "Accepted: the QUEUED task, with Location and X-Workflow-ID",
                    "422", "The Idempotency-Key was used before for a different request"),
            "GET /api/v1/tasks/{id}", Map.of(
                    "304", "Unchanged: If-None-Match names the current ETag"),
            "POST /api/v1/tasks/{id}/cancel", Map.of(
                    "202", "Cancellation accepted (a repeat answers the same)",
                    "409", "The task has already completed, failed or timed out"),
            "POST /api/v1/tasks/{id}/pause", Map.of(
                    "200", "The task: PAUSED, or pausing at its next step boundary",
                    "409", "The task has already ended"),
            "POST /api/v1/tasks/{id}/resume", Map.of(
                    "200", "The task, going on where it stopped",
                    "409", "The task has already ended"),
            "POST /api/v1/tasks/{id}/approvals/{approval_id}", Map.of(
                    "200", "The decided approval",
                    "409", "The approval is already decided or has expired"));

    private static final String STREAM = "GET /api/v1/tasks/{id}/stream";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        api.getComponents()
                .addSecurityScheme(API_KEY, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("X-API-Key"))
                .addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer").description("Authorization: Bearer <key>"));
        api.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/") || path.startsWith("/admin/")) {
                item.getOperations().forEach((method, operation) -> complete(method + " " + path, operation));
            }
        });
    }

    private static void complete(String key, Operation operation) {
        operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(API_KEY),
                OASFactory.createSecurityRequirement().addScheme(BEARER)));
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        operation.setResponses(responses);
        Map<String, String> statuses = new LinkedHashMap<>(EVERY_OPERATION);
        if (operation.getRequestBody() != null) {
            statuses.put("400", "Malformed JSON, an unknown field or a value out of range; the error names it");
            statuses.put("413", "The body is over the size limit");
            statuses.put("415", "The body is not application/json");
        } else if (operation.getParameters() != null && !operation.getParameters().isEmpty()) {
            statuses.put("400", "A parameter is not valid; the error names it");
        }
        if (key.contains("{id}") || key.contains("{approval_id}")) {
            statuses.put("404", "Not found for this tenant");
        }
        Map<String, String> specific = SPECIFIC.getOrDefault(key, Map.of());
        if (specific.keySet().stream().anyMatch(status -> status.startsWith("2"))) {
            List.copyOf(responses.getAPIResponses().keySet()).stream()
                    .filter(status -> status.startsWith("2") && !specific.containsKey(status))
                    .forEach(responses::removeAPIResponse);
        }
        statuses.putAll(specific);
        if (key.equals(STREAM)) {
            responses.removeAPIResponse("204");
            responses.addAPIResponse("200", OASFactory.createAPIResponse()
                    .description("The task's events as Server-Sent Events, live until its terminal event")
                    .content(OASFactory.createContent().addMediaType("text/event-stream",
                            OASFactory.createMediaType().schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))))));
        }
        statuses.forEach((status, description) -> {
            if (!responses.hasAPIResponse(status)) {
                responses.addAPIResponse(status, status.startsWith("2") || status.equals("304")
                        ? OASFactory.createAPIResponse().description(description)
                        : OASFactory.createAPIResponse().description(description).content(errorBody()));
            }
        });
    }

    private static Content errorBody() {
        MediaType json = OASFactory.createMediaType().schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("error", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .description("What is wrong, in words"))
                .addRequired("error"));
        return OASFactory.createContent().addMediaType("application/json", json);
    }

}
