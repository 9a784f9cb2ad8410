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
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The door of every gRPC call: takes the presented API key ({@code x-api-key}, or {@code
 * authorization: Bearer <key>}, as {@link Credentials} reads it for REST too), charges the REST
 * rate limit's bucket exactly as REST does (the key's only when it is valid, the client address's
 * otherwise, also for two different keys, which are then refused; see {@link
 * ApiKeys#rateLimitBucketCached}),
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
    private final Vertx vertx;

    public ApiKeyInterceptor(ApiKeys apiKeys, RateLimiter limiter, Vertx vertx) {
        this.apiKeys = apiKeys;
        this.limiter = limiter;
        this.vertx = vertx;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String key;
        try {
            key = Credentials.presented(headers.get(X_API_KEY), headers.get(AUTHORIZATION));
        } catch (TaskgateException twoKeys) {
            if (overLimit(call, bucketOf(headers, call)) == 0) {
                call.close(GrpcErrors.toStatus(twoKeys), new Metadata());
            }
            return new ServerCall.Listener<>() { };
        }
        Context context = Context.current().withValues(API_KEY, key, IDEMPOTENCY_KEY, headers.get(IDEMPOTENCY));
        if (!limiter.enabled()) {
            return Contexts.interceptCall(context, call, headers, next);
        }
        Optional<String> cached;
        try {
            cached = apiKeys.rateLimitBucketCached(headers.get(X_API_KEY), headers.get(AUTHORIZATION), address(call));
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, call allowed: %s", e.getMessage());
            return Contexts.interceptCall(context, call, headers, next);
        }
        if (cached.isPresent()) {
            return overLimit(call, cached.get()) > 0 ? new ServerCall.Listener<>() { }
                    : Contexts.interceptCall(context, call, headers, next);
        }
        // the key's lookup is not cached: look it up off the event loop, then start the call (or refuse it)
        DeferredListener<Q> deferred = new DeferredListener<>();
        vertx.executeBlocking(() -> bucketOf(headers, call)).onComplete(bucket -> {
            if (bucket.failed()) {
                LOG.warnf("rate limiter unavailable, call allowed: %s", bucket.cause().getMessage());
            }
            if (bucket.failed() || overLimit(call, bucket.result()) == 0) {
                deferred.start(Contexts.interceptCall(context, call, headers, next));
            }
        });
        return deferred;
    }

    private String bucketOf(Metadata headers, ServerCall<?, ?> call) {
        return apiKeys.rateLimitBucket(headers.get(X_API_KEY), headers.get(AUTHORIZATION), address(call));
    }

    private static String address(ServerCall<?, ?> call) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : null;
    }

    /**
     * Charges the bucket; over the limit, closes the call with RESOURCE_EXHAUSTED and a {@code
     * retry-after} trailer and returns the seconds to wait; 0 when the call may go on (also when
     * the limiter fails).
     */
    private long overLimit(ServerCall<?, ?> call, String bucket) {
        if (!limiter.enabled()) {
            return 0;
        }
        RateLimiter.Decision decision;
        try {
            decision = limiter.acquire(bucket);
        } catch (RuntimeException e) {
            LOG.warnf("rate limiter unavailable, call allowed: %s", e.getMessage());
            return 0;
        }
        if (decision.allowed()) {
            return 0;
        }
        Metadata trailers = new Metadata();
        trailers.put(RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        call.close(Status.RESOURCE_EXHAUSTED.withDescription("Rate limit exceeded: retry in " + decision.retryAfterSeconds() + " s"),
                trailers);
        return decision.retryAfterSeconds();
    }

    /** Holds a call's events until the call is started (or refused, when it drops them). */
    private static final class DeferredListener<Q> extends ServerCall.Listener<Q> {
        private final List<Consumer<ServerCall.Listener<Q>>> pending = new ArrayList<>();
        private ServerCall.Listener<Q> delegate;

        synchronized void start(ServerCall.Listener<Q> listener) {
            pending.forEach(event -> event.accept(listener));
            pending.clear();
            delegate = listener;
        }

        private synchronized void deliver(Consumer<ServerCall.Listener<Q>> event) {
            if (delegate != null) {
                event.accept(delegate);
            } else {
                pending.add(event);
            }
        }

        @Override
        public void onMessage(Q message) {
            deliver(listener -> listener.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            deliver(ServerCall.Listener::onHalfClose);
        }

        @Override
        public void onCancel() {
            deliver(ServerCall.Listener::onCancel);
        }

        @Override
        public void onComplete() {
            deliver(ServerCall.Listener::onComplete);
        }

        @Override
        public void onReady() {
            deliver(ServerCall.Listener::onReady);
        }
    }
}
