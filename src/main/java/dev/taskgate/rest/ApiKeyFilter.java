package dev.taskgate.rest;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.auth.CallerTenant;
import dev.taskgate.auth.Credentials;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.ErrorKind;
import dev.taskgate.error.TaskgateException;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Authenticates every {@code /api/} request by {@code X-API-Key} or {@code Authorization: Bearer},
 * and {@code /admin/} requests by the admin token sent the same way.
 * A cached key is checked on the spot; otherwise the database is asked, on the current thread
 * for blocking endpoints, and on a worker thread for non-blocking ones (which run on the event loop).
 */
public class ApiKeyFilter {

    private static final Uni<Void> PASS = Uni.createFrom().voidItem();

    private final ApiKeys apiKeys;
    private final CallerTenant caller;
    private final TaskgateConfig config;

    public ApiKeyFilter(ApiKeys apiKeys, CallerTenant caller, TaskgateConfig config) {
        this.apiKeys = apiKeys;
        this.caller = caller;
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/admin/")) {
            checkAdminToken(presentedKey(request));
            return PASS;
        }
        if (!path.startsWith("/api/")) {
            return PASS;
        }
        String key = presentedKey(request);
        Optional<String> cached = apiKeys.authenticateCached(key);
        if (cached.isPresent()) {
            caller.set(cached.get());
            return PASS;
        }
        if (BlockingOperationControl.isBlockingAllowed()) {
            caller.set(apiKeys.authenticate(key));
            return PASS;
        }
        CallerTenant target = ClientProxy.unwrap(caller);
        return Uni.createFrom().item(() -> apiKeys.authenticate(key))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(target::set)
                .replaceWithVoid();
    }

    /** Admin endpoints need {@code TASKGATE_ADMIN_TOKEN}; without one configured they do not exist. */
    private void checkAdminToken(String presented) {
        String token = config.adminToken().filter(t -> !t.isBlank())
                .orElseThrow(() -> new TaskgateException(ErrorKind.NOT_FOUND, "Not found"));
        if (presented == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                presented.strip().getBytes(StandardCharsets.UTF_8))) {
            throw TaskgateException.unauthorized();
        }
    }

    static String presentedKey(ContainerRequestContext request) {
        return Credentials.presented(request.getHeaderString("X-API-Key"), request.getHeaderString(HttpHeaders.AUTHORIZATION));
    }
}
