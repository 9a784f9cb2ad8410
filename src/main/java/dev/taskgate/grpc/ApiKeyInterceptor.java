package dev.taskgate.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries the presented API key ({@code x-api-key}, or {@code authorization: Bearer <key>}) and
 * an optional {@code idempotency-key} into the call's context; the service authenticates the key.
 */
@GlobalInterceptor
@ApplicationScoped
public class ApiKeyInterceptor implements ServerInterceptor {

    static final Context.Key<String> API_KEY = Context.key("taskgate-api-key");
    static final Context.Key<String> IDEMPOTENCY_KEY = Context.key("taskgate-idempotency-key");
    private static final Metadata.Key<String> IDEMPOTENCY =
            Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String key = headers.get(X_API_KEY);
        String authorization = headers.get(AUTHORIZATION);
        if (key == null && authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            key = authorization.substring(BEARER.length());
        }
        return Contexts.interceptCall(Context.current().withValues(API_KEY, key, IDEMPOTENCY_KEY, headers.get(IDEMPOTENCY)),
                call, headers, next);
    }
}
