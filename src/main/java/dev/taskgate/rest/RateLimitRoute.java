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

import java.util.Optional;

/**
 * Rate limits every {@code /api/} request per API key before it reaches an endpoint, on the
 * event loop: every answer carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset}; over the limit the answer is a JSON 429 with {@code Retry-After}.
 * Health and metrics ({@code /q/*}) are not limited. A request with a valid key is charged to that
 * key only; every other request (no key, an unknown key, two different keys) to its client
 * address (see {@link ApiKeys#rateLimitBucketCached}), exactly as gRPC calls are. If the limiter
 * fails, the request goes through.
 */
@ApplicationScoped
public class RateLimitRoute {

    private static final Logger LOG = Logger.getLogger(RateLimitRoute.class);
    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";

    private final RateLimiter limiter;
    private final ApiKeys apiKeys;

    public RateLimitRoute(RateLimiter limiter, ApiKeys apiKeys) {
        this.limiter = limiter;
        this.apiKeys = apiKeys;
    }

    void install(@Observes Router router) {
        if (limiter.enabled()) {
            router.route("/api/*").order(-2).handler(this::limit);
        }
    }

    /**
     * Charges one bucket, chosen by {@link ApiKeys#rateLimitBucketCached}: on the event loop when
     * the key's lookup is cached (or there is no valid key to look up), otherwise after the lookup
     * on a worker thread, while the body waits.
     */
    private void limit(RoutingContext context) {
        HttpServerRequest request = context.request();
        String xApiKey = request.getHeader("X-API-Key");
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        Optional<String> cached;
        try {
            cached = apiKeys.rateLimitBucketCached(xApiKey, authorization, address);
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, request allowed: %s", e.getMessage());
            context.next();
            return;
        }
        if (cached.isPresent()) {
            charge(context, cached.get());
            return;
        }
        request.pause();
        context.vertx().executeBlocking(() -> apiKeys.rateLimitBucket(xApiKey, authorization, address)).onComplete(bucket -> {
            request.resume();
            if (bucket.succeeded()) {
                charge(context, bucket.result());
            } else {
                LOG.warnf("rate limiter unavailable, request allowed: %s", bucket.cause().getMessage());
                context.next();
            }
        });
    }

    private void charge(RoutingContext context, String bucket) {
        RateLimiter.Decision decision;
        try {
            decision = limiter.acquire(bucket);
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, request allowed: %s", e.getMessage());
            context.next();
            return;
        }
        decide(context, decision);
    }

    /** Sets the RateLimit headers, then goes on, or answers 429 when the decision refuses. */
    private static void decide(RoutingContext context, RateLimiter.Decision decision) {
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
}
