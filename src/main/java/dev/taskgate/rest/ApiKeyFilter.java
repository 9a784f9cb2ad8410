package dev.taskgate.rest;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.auth.CallerTenant;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /api/} request by {@code X-API-Key} or {@code Authorization: Bearer}.
 * Runs on the endpoint's worker thread (not {@code nonBlocking}), so the key lookup may use the database.
 */
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;
    private final CallerTenant caller;

    public ApiKeyFilter(ApiKeys apiKeys, CallerTenant caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith("/api/")) {
            caller.set(apiKeys.authenticate(presentedKey(request)));
        }
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
