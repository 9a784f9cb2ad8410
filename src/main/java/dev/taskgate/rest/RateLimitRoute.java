package dev.taskgate.rest;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.ratelimit.RateLimiter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Rate limits every {@code /api/} request per API key before it reaches an endpoint, on the
 * event loop: every answer carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset}; over the limit the answer is a JSON 429 with {@code Retry-After}.
 * Health and metrics ({@code /q/*}) are not limited. Requests without a key are counted per
 * client address. If the limiter fails, the request goes through.
 */
@ApplicationScoped
public class RateLimitRoute {

    private static final Logger LOG = Logger.getLogger(RateLimitRoute.class);
    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";

    private final RateLimiter limiter;

    public RateLimitRoute(RateLimiter limiter) {
        this.limiter = limiter;
    }

    void install(@Observes Router router) {
        if (limiter.enabled()) {
            router.route("/api/*").order(-2).handler(this::limit);
        }
    }

    private void limit(RoutingContext context) {
        RateLimiter.Decision decision;
        try {
            decision = limiter.acquire(clientId(context.request()));
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, request allowed: %s", e.getMessage());
            context.next();
            return;
        }
        MultiMap headers = context.response().headers();
        headers.set(LIMIT, Integer.toString(decision.limit()))
                .set(REMAINING, Integer.toString(decision.remaining()))
                .set(RESET, Long.toString(decision.resetSeconds()));
        if (decision.allowed()) {
            context.next();
            return;
        }
        context.response().setStatusCode(429)
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"error\":\"Rate limit exceeded: retry in " + decision.retryAfterSeconds() + " s\"}");
    }

    private static String clientId(HttpServerRequest request) {
        String key = request.getHeader("X-API-Key");
        if (key == null) {
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = authorization.substring(7);
            }
        }
        if (key == null || key.isBlank() || key.length() > 256) {
            return "address:" + request.remoteAddress().hostAddress();
        }
        return ApiKeys.hash(key.strip());
    }
}
