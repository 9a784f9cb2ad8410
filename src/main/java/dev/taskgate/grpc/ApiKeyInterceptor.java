package dev.taskgate.grpc;

import dev.taskgate.auth.ApiKeys;
import dev.taskgate.auth.Credentials;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.ratelimit.RateLimiter;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The door of every gRPC call: takes the presented API key ({@code x-api-key}, or {@code
 * authorization: Bearer <key>}, as {@link Credentials} reads it for REST too), charges the REST
 * rate limit's bucket (the key's when it is known to be valid, the client address's otherwise),
 * and carries the key and an optional {@code idempotency-key} into the call's context, where the
 * service authenticates it. Over the limit a call ends with RESOURCE_EXHAUSTED and a {@code
 * retry-after} trailer (seconds); if the limiter fails, the call goes through.
 */
@GlobalInterceptor
@ApplicationScoped
public class ApiKeyInterceptor implements ServerInterceptor {

    private static final Logger LOG = Logger.getLogger(ApiKeyInterceptor.class);
    static final Context.Key<String> API_KEY = Context.key("taskgate-api-key");
    static final Context.Key<String> IDEMPOTENCY_KEY = Context.key("taskgate-idempotency-key");
    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> IDEMPOTENCY =
            Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ApiKeys apiKeys;
    private final RateLimiter limiter;

    public ApiKeyInterceptor(ApiKeys apiKeys, RateLimiter limiter) {
        this.apiKeys = apiKeys;
        this.limiter = limiter;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String key;
        try {
            key = Credentials.presented(headers.get(X_API_KEY), headers.get(AUTHORIZATION));
        } catch (TaskgateException twoKeys) {
            call.close(GrpcErrors.toStatus(twoKeys), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        long retryAfter = overLimit(key, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        if (retryAfter > 0) {
            Metadata trailers = new Metadata();
            trailers.put(RETRY_AFTER, Long.toString(retryAfter));
            call.close(Status.RESOURCE_EXHAUSTED.withDescription("Rate limit exceeded: retry in " + retryAfter + " s"),
                    trailers);
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValues(API_KEY, key, IDEMPOTENCY_KEY, headers.get(IDEMPOTENCY)),
                call, headers, next);
    }

    /** Seconds to wait when the call is over its limit; 0 when it may go on. */
    private long overLimit(String key, SocketAddress remote) {
        if (!limiter.enabled()) {
            return 0;
        }
        try {
            String address = remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "unknown";
            RateLimiter.Decision decision = limiter.acquire(apiKeys.rateLimitBucket(key, address));
            return decision.allowed() ? 0 : decision.retryAfterSeconds();
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, call allowed: %s", e.getMessage());
            return 0;
        }
    }
}
