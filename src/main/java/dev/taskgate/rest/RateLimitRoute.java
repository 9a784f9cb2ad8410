package dev.taskgate.rest;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.auth.Credentials;
import dev.taskgate.error.TaskgateException;
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
 * Health and metrics ({@code /q/*}) are not limited. Requests without a key known to be valid are
 * counted per client address, before any lookup (see {@link ApiKeys#rateLimitBucket}). If the
 * limiter fails, the request goes through.
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
     * A key known to be valid (authenticated in the last 30 s) is charged at once. Anything else
     * first pays its client address's bucket — so made-up keys never get buckets of their own and
     * cost their sender — and a presented key is then looked up (on a worker thread) and, when
     * valid, charged too; an invalid one goes on to be refused by authentication.
     */
    private void limit(RoutingContext context) {
        HttpServerRequest request = context.request();
        String key;
        RateLimiter.Decision address;
        try {
            key = Credentials.presented(request.getHeader("X-API-Key"), request.getHeader(HttpHeaders.AUTHORIZATION));
            String bucket = apiKeys.rateLimitBucket(key, request.remoteAddress().hostAddress());
            if (!bucket.startsWith(ApiKeys.ADDRESS_BUCKET)) {
                decide(context, limiter.acquire(bucket), true);
                return;
            }
            address = limiter.acquire(bucket);
            if (!decide(context, address, key == null)) {
                return;
            }
        } catch (TaskgateException twoKeys) {
            context.next();  // refused by authentication
            return;
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, request allowed: %s", e.getMessage());
            context.next();
            return;
        }
        if (key == null) {
            return;
        }
        request.pause();  // the body waits while the key is looked up
        context.vertx().executeBlocking(() -> isValid(key)).onComplete(valid -> {
            request.resume();
            decide(context, valid.succeeded() && valid.result() ? limiter.acquire(ApiKeys.hash(key)) : address, true);
        });
    }

    private boolean isValid(String key) {
        try {
            apiKeys.authenticate(key);
            return true;
        } catch (TaskgateException refused) {
            return false;
        }
    }

    /**
     * Answers 429 when the decision refuses; otherwise, when {@code last}, sets the RateLimit
     * headers and goes on. Returns whether the request may go on.
     */
    private static boolean decide(RoutingContext context, RateLimiter.Decision decision, boolean last) {
        if (decision.allowed() && !last) {
            return true;
        }
        MultiMap headers = context.response().headers();
        headers.set(LIMIT, Integer.toString(decision.limit()))
                .set(REMAINING, Integer.toString(decision.remaining()))
                .set(RESET, Long.toString(decision.resetSeconds()));
        if (decision.allowed()) {
            context.next();
            return true;
        }
        context.response().setStatusCode(429)
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"error\":\"Rate limit exceeded: retry in " + decision.retryAfterSeconds() + " s\"}");
        return false;
    }
}
