package dev.taskgate.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Turns a client library failure into a {@link ProviderException}: transient causes (timeouts,
 * 429, 5xx, connection refused) are retryable; 400/401/403/404 are not. Messages are fixed
 * phrases plus the HTTP status, so no response body, key or stack trace can leak through them.
 */
final class ProviderErrors {

    private ProviderErrors() {
    }

    static ProviderException map(Throwable failure) {
        if (failure instanceof ProviderException known) {
            return known;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http) {
                return forStatus(http.statusCode());
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return ProviderException.unavailable("connection timeout");
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof dev.langchain4j.exception.TimeoutException) {
                return ProviderException.unavailable("request timeout");
            }
            if (t instanceof ConnectException) {
                return ProviderException.unavailable("connection refused");
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof UnresolvedModelServerException) {
                return ProviderException.unavailable("unknown host");
            }
            if (t instanceof IOException) {
                return ProviderException.unavailable("connection error");
            }
        }
        return new ProviderException("LLM provider error: unexpected response", false);
    }

    static ProviderException forStatus(int status) {
        if (status == 401 || status == 403) {
            return ProviderException.rejected("authentication failed (HTTP " + status + ")");
        }
        if (status == 404) {
            return ProviderException.rejected("unknown model or endpoint (HTTP 404)");
        }
        if (status == 408) {
            return ProviderException.unavailable("request timeout (HTTP 408)");
        }
        if (status == 429) {
            return ProviderException.unavailable("rate limited (HTTP 429)");
        }
        if (status >= 500) {
            return ProviderException.unavailable("server error (HTTP " + status + ")");
        }
        return ProviderException.rejected("invalid request (HTTP " + status + ")");
    }
}
