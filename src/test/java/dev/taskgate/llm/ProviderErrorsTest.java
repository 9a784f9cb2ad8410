package dev.taskgate.llm;

import com.sun.net.httpserver.HttpServer;
import dev.taskgate.config.TaskgateConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How transport failures and HTTP statuses of a real endpoint become retryable or permanent task errors. */
class ProviderErrorsTest {

    private static TaskgateConfig.Llm.Remote remote(String baseUrl, Duration timeout, boolean stream) {
        return new TaskgateConfig.Llm.Remote() {
            public Optional<String> baseUrl() { return Optional.of(baseUrl); }
            public Optional<String> apiKey() { return Optional.of("sk-secret-never-shown"); }
            public Optional<String> model() { return Optional.of("m"); }
            public Optional<List<String>> models() { return Optional.empty(); }
            public Duration timeout() { return timeout; }
            public int maxTokens() { return 100; }
            public boolean stream() { return stream; }
        };
    }

    private static ProviderException call(String baseUrl, Duration timeout, boolean stream) {
        var provider = new OpenAiChatProvider(remote(baseUrl, timeout, stream));
        return assertThrows(ProviderException.class, () -> provider.chat(new ChatRequest("m",
                List.of(ChatMessage.user("hi")), List.of(), CallPurpose.ANSWER, Map.of())));
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void connectionRefusedIsRetryable(boolean stream) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProviderException failure = call("http://localhost:" + port + "/v1", Duration.ofSeconds(2), stream);
        assertEquals("LLM service unavailable: connection refused", failure.getMessage());
        assertTrue(failure.retryable());
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void aSlowAnswerIsARetryableTimeout(boolean stream) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        try {
            ProviderException failure = call("http://localhost:" + server.getAddress().getPort() + "/v1",
                    Duration.ofMillis(300), stream);
            assertEquals("LLM service unavailable: request timeout", failure.getMessage());
            assertTrue(failure.retryable());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void statusesAreClassified() {
        assertTrue(ProviderErrors.forStatus(429).retryable());
        assertTrue(ProviderErrors.forStatus(500).retryable());
        assertTrue(ProviderErrors.forStatus(503).retryable());
        assertTrue(ProviderErrors.forStatus(408).retryable());
        assertFalse(ProviderErrors.forStatus(400).retryable());
        assertFalse(ProviderErrors.forStatus(401).retryable());
        assertFalse(ProviderErrors.forStatus(403).retryable());
        assertFalse(ProviderErrors.forStatus(404).retryable());
        assertEquals("LLM request rejected: unknown model or endpoint (HTTP 404)", ProviderErrors.forStatus(404).getMessage());
    }

    @Test
    void plansAreParsedFromJsonOrLists() {
        assertEquals(List.of("a", "b"), Plans.parse("Here: {\"subtasks\": [\"a\", \"b\"]}", 5));
        assertEquals(List.of("first", "second"), Plans.parse("1. first\n2. second", 5));
        assertEquals(List.of("a"), Plans.parse("{\"subtasks\": [\"a\", \"b\"]}", 1));
        assertTrue(Plans.parse("no plan here", 5).isEmpty());
    }
}
