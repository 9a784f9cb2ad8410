package dev.taskgate.webhooks;

import dev.taskgate.config.TaskgateConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends one attempt of a delivery with the Standard Webhooks headers: {@code webhook-id} (the
 * delivery's id, the same on every attempt), {@code webhook-timestamp} (this attempt's time, unix
 * seconds) and {@code webhook-signature}. Redirects are never followed (a 3xx is a failed
 * attempt), the whole attempt has {@code taskgate.webhooks.attempt-timeout}, and the URL's host
 * is checked against the address policy again right before the send.
 */
@ApplicationScoped
public class WebhookSender {

    private static final String USER_AGENT = "Taskgate-Webhooks/1";

    private final WebhookUrlPolicy urls;
    private final Duration timeout;
    private final HttpClient client;

    public WebhookSender(WebhookUrlPolicy urls, TaskgateConfig.Webhooks config) {
        this.urls = urls;
        this.timeout = config.attemptTimeout();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    public DeliveryStore.Result send(DeliveryStore.Claimed delivery) {
        long started = System.nanoTime();
        URI uri = URI.create(delivery.url());
        Optional<String> refused = urls.refusal(uri);
        if (refused.isPresent()) {
            return failed(null, "Not sent: the host " + refused.get(), started);
        }
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", USER_AGENT)
                .header("webhook-id", delivery.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.header(delivery.id(), timestamp, delivery.body(), delivery.keys()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
                .build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            long millis = millisSince(started);
            if (status >= 200 && status < 300) {
                return new DeliveryStore.Result(true, false, status, "", millis);
            }
            if (status == 410) {
                return new DeliveryStore.Result(false, true, status, "HTTP 410 Gone: the endpoint is disabled", millis);
            }
            return failed(status, "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""),
                    started);
        } catch (HttpConnectTimeoutException e) {
            return failed(null, "Connect timed out after " + timeout.toMillis() + " ms", started);
        } catch (HttpTimeoutException e) {
            return failed(null, "No answer within " + timeout.toMillis() + " ms", started);
        } catch (ConnectException e) {
            return failed(null, "Connection failed", started);
        } catch (SSLException e) {
            return failed(null, "TLS failed: " + e.getClass().getSimpleName(), started);
        } catch (IOException e) {
            return failed(null, "I/O error: " + e.getClass().getSimpleName(), started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(null, "Interrupted while sending (the process is stopping)", started);
        }
    }

    private static DeliveryStore.Result failed(Integer status, String error, long started) {
        return new DeliveryStore.Result(false, false, status, error, millisSince(started));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
