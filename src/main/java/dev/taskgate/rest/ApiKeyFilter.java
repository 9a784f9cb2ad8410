package dev.taskgate.rest;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.auth.CallerTenant;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Authenticates every {@code /api/} request by {@code X-API-Key} or {@code Authorization: Bearer}.
 * A cached key is checked on the spot; otherwise the database is asked, on the current thread
 * for blocking endpoints, and on a worker thread for non-blocking ones (which run on the event loop).
 */
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";
    private static final Uni<Void> PASS = Uni.createFrom().voidItem();

    private final ApiKeys apiKeys;
    private final CallerTenant caller;

    public ApiKeyFilter(ApiKeys apiKeys, CallerTenant caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
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

    static String presentedKey(ContainerRequestContext request) {
        String key = request.getHeaderString("X-API-Key");
        if (key != null) {
            return key;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length());
        }
        return null;
    }
}
