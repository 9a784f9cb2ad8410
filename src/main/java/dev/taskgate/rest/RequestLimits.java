package dev.taskgate.rest;

import dev.taskgate.config.TaskgateConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

/**
 * Size limits answered with the JSON error like every other refusal, before anything else runs: a
 * request line over {@code taskgate.http.max-request-line} (414), headers over {@code
 * taskgate.http.max-headers} (431) and a body over {@code quarkus.http.limits.max-body-size}
 * (413), whether its length is declared or it arrives in chunks, and a {@code Transfer-Encoding}
 * other than {@code chunked} (400), whose body would end only when the client closes. The HTTP codec's own limits are
 * set higher (64 KiB): only requests beyond those get its bare answer without a body.
 */
@ApplicationScoped
public class RequestLimits {

    private static final Map<Integer, String> ERRORS = Map.of(
            413, "{\"error\":\"Request body too large\"}",
            414, "{\"error\":\"Request line too long\"}",
            431, "{\"error\":\"Request headers too large\"}",
            400, "{\"error\":\"Transfer-Encoding other than chunked is not supported: send the body as is or chunked\"}");

    void install(@Observes Router router, TaskgateConfig config,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        long maxBody = maxBodySize.asLongValue();
        int maxRequestLine = config.http().maxRequestLine();
        int maxHeaders = config.http().maxHeaders();
        router.route().order(-3).handler(context -> {
            HttpServerRequest request = context.request();
            if (request.uri().length() > maxRequestLine) {
                refuse(context, 414);
            } else if (headerBytes(request) > maxHeaders) {
                refuse(context, 431);
            } else if (isOver(request.getHeader(HttpHeaders.CONTENT_LENGTH), maxBody)) {
                refuse(context, 413);
            } else if (unsupportedCoding(request.getHeader(HttpHeaders.TRANSFER_ENCODING))) {
                // a body in another coding would only end when the client closes: answer, then close
                refuse(context, 400).onComplete(sent -> request.connection().close());
            } else {
                context.next();
            }
        });
        // a body that arrives in chunks is read here, within the limit, so that going over it is answered like the rest
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(maxBody);
        router.route("/api/*").order(-1).handler(context -> {
            if (context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                chunked.handle(context);
            } else {
                context.next();
            }
        });
        router.route().order(-3).failureHandler(context -> {
            if (context.statusCode() == 413) {
                refuse(context, 413);
            } else {
                context.next();
            }
        });
    }

    private static Future<Void> refuse(RoutingContext context, int status) {
        if (context.response().ended()) {
            return Future.succeededFuture();
        }
        return context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(ERRORS.get(status));
    }

    private static int headerBytes(HttpServerRequest request) {
        int bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return bytes;
    }

    private static boolean unsupportedCoding(String transferEncoding) {
        return transferEncoding != null && !transferEncoding.trim().equalsIgnoreCase("chunked");
    }

    private static boolean isOver(String contentLength, long limit) {
        try {
            return contentLength != null && Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
