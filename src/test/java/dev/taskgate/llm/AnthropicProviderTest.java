package dev.taskgate.llm;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.taskgate.support.FakeProviders;
import dev.taskgate.support.ModelCalls;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tasks on the {@code anthropic} provider against a real HTTP server speaking the Messages API wire format. */
@QuarkusTest
class AnthropicProviderTest {

    static final String PATH = "/anthropic/v1/messages";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource dataSource;

    private final WireMock server = FakeProviders.client();

    static String message(String model, String content, long in, long out) {
        return """
                {"id": "msg_01", "type": "message", "role": "assistant", "model": "%s",
                 "content": [{"type": "text", "text": %s}], "stop_reason": "end_turn", "stop_sequence": null,
                 "usage": {"input_tokens": %d, "output_tokens": %d}}
                """.formatted(model, OpenAiProviderTest.quote(content), in, out);
    }

    @Test
    void plainCompletionOnTheDefaultModelWithItsPrice() {
        server.register(post(urlEqualTo(PATH)).atPriority(5)
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-3-5-haiku-latest")))
                .willReturn(okJson(message("claude-3-5-haiku-20241022", "Bonjour from Claude.", 1_000_000, 250_000))));

        String id = submit(Map.of("query", "Say hello in French.", "provider", "anthropic"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("Bonjour from Claude.", done.getString("result"));
        assertEquals("anthropic", done.getString("provider"));
        assertEquals("claude-3-5-haiku-20241022", done.getString("model_used"));
        assertEquals(1_250_000, done.getLong("usage.total_tokens"));
        // 1,000,000 × $0.80/M + 250,000 × $4.00/M
        assertEquals(1.80, done.getDouble("usage.estimated_cost"));
        assertEquals(1, ModelCalls.of(dataSource, id).size());
        server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo(FakeProviders.ANTHROPIC_KEY))
                .withHeader("anthropic-version", containing("20"))
                .withRequestBody(containing("Say hello in French.")));
    }

    @Test
    void toolUseRoundTrip() {
        String model = "claude-test-tools";
        server.register(post(urlEqualTo(PATH)).atPriority(5)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(okJson("""
                        {"id": "msg_02", "type": "message", "role": "assistant", "model": "claude-test-tools",
                         "content": [{"type": "text", "text": "Let me calculate."},
                                     {"type": "tool_use", "id": "toolu_01", "name": "calculator",
                                      "input": {"expression": "(17 + 25) * 1000001"}}],
                         "stop_reason": "tool_use", "usage": {"input_tokens": 400, "output_tokens": 30}}
                        """)));
        server.register(post(urlEqualTo(PATH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(containing("tool_result"))
                .willReturn(okJson(message(model, "(17 + 25) * 1000001 = 42000042", 500, 20))));

        String id = submit(Map.of("query", "What is (17 + 25) * 1000001?", "mode", "standard",
                "provider", "anthropic", "model", model));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("(17 + 25) * 1000001 = 42000042", done.getString("result"));
        assertEquals(900, done.getLong("usage.input_tokens"));
        assertEquals(50, done.getLong("usage.output_tokens"));
        server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.tools[?(@.name == 'calculator')]")));
        server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath(
                        "$.messages[*].content[?(@.type == 'tool_result' && @.tool_use_id == 'toolu_01' && @.content == '42000042')]")));
    }
}
