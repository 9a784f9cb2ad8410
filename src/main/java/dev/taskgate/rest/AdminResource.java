package dev.taskgate.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskgate.auth.ApiKeys;
import dev.taskgate.error.TaskgateException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;

/**
 * API key management without a restart, for operators holding {@code TASKGATE_ADMIN_TOKEN}
 * (checked by {@link ApiKeyFilter}). The plaintext key is shown once, at creation.
 */
@Path("/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final ApiKeys apiKeys;

    public AdminResource(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    public record CreateKeyBody(String tenant) {
    }

    public record KeyJson(String id, String tenant, String prefix, String source,
                          @JsonProperty("created_at") Instant createdAt, @JsonProperty("revoked_at") Instant revokedAt) {
        static KeyJson of(ApiKeys.KeyView view) {
            return new KeyJson(view.id(), view.tenant(), view.prefix(), view.source(), view.createdAt(), view.revokedAt());
        }
    }

    public record CreatedKeyJson(String key, String id, String tenant, String prefix,
                                 @JsonProperty("created_at") Instant createdAt) {
    }

    public record KeyList(List<KeyJson> keys) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateKeyBody body) {
        if (body == null) {
            throw TaskgateException.invalid("Request body is required: {\"tenant\": \"...\"}");
        }
        ApiKeys.CreatedKey created = apiKeys.create(body.tenant());
        var info = created.info();
        return Response.status(201)
                .entity(new CreatedKeyJson(created.key(), info.id(), info.tenant(), info.prefix(), info.createdAt()))
                .build();
    }

    @GET
    public KeyList list() {
        return new KeyList(apiKeys.list().stream().map(KeyJson::of).toList());
    }

    @DELETE
    @Path("/{id}")
    public KeyJson revoke(@PathParam("id") String id) {
        return KeyJson.of(apiKeys.revoke(id));
    }
}
