package dev.taskgate.grpc;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.ratelimit.RateLimiter;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The REST rate limit for gRPC calls: the same per-key buckets; over the limit a call ends with
 * RESOURCE_EXHAUSTED and a {@code retry-after} trailer (seconds). Calls without a key are not
 * counted here (they fail authentication). If the limiter fails, the call goes through.
 */
@GlobalInterceptor
@ApplicationScoped
public class RateLimitInterceptor implements ServerInterceptor {

    private static final Logger LOG = Logger.getLogger(RateLimitInterceptor.class);
    private static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private final RateLimiter limiter;

    public RateLimitInterceptor(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String key = headers.get(X_API_KEY);
        String authorization = headers.get(AUTHORIZATION);
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7);
        }
        if (!limiter.enabled() || key == null || key.isBlank() || key.length() > 256) {
            return next.startCall(call, headers);
        }
        RateLimiter.Decision decision;
        try {
            decision = limiter.acquire(ApiKeys.hash(key.strip()));
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, call allowed: %s", e.getMessage());
            return next.startCall(call, headers);
        }
        if (decision.allowed()) {
            return next.startCall(call, headers);
        }
        Metadata trailers = new Metadata();
        trailers.put(RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        call.close(Status.RESOURCE_EXHAUSTED.withDescription(
                "Rate limit exceeded: retry in " + decision.retryAfterSeconds() + " s"), trailers);
        return new ServerCall.Listener<>() { };
    }
}
