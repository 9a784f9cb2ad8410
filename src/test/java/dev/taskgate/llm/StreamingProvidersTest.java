package dev.taskgate.llm;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.taskgate.events.TaskChanges;
import dev.taskgate.support.FakeProviders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code stream=true}, OpenAI and Anthropic answers are streamed (each API's own SSE wire
 * format): their text goes out as live LLM_PARTIAL pieces while the task records the whole
 * answer and the usage the stream reported.
 */
@QuarkusTest
@TestProfile(StreamingProvidersTest.StreamingOn.class)
class StreamingProvidersTest {

    public static class StreamingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("taskgate.llm.openai.stream", "true", "taskgate.llm.anthropic.stream", "true",
                    "taskgate.llm.openai.models", "gpt-test-stream,gpt-test-stream-401,gpt-test-stream-tools",
                    "taskgate.llm.anthropic.models", "claude-test-stream");
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    TaskChanges changes;

    private final WireMock server = FakeProviders.client();

    private static String sse(List<String> frames) {
        return String.join("\n\n", frames) + "\n\n";
    }

    private static String openAiChunk(String model, String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1760000000,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
    }

    /** Stubs a delayed streamed answer (time to listen), submits a task and collects its live pieces. */
    private JsonPath streamedTask(MappingBuilder stub, String provider, String model, List<String> pieces) {
        server.register(stub);
        String id = submit(Map.of("query", "What is the capital of France?", "provider", provider, "model", model));
        changes.listenPartials(id, piece -> pieces.add(piece.text()));
        return awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);
    }

    @Test
    void openAiStreamsItsAnswerAndReportsUsage() {
        String model = "gpt-test-stream";
        String body = sse(List.of(
                openAiChunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", "null"),
                openAiChunk(model, "{\"content\":\"Paris is\"}", "null"),
                openAiChunk(model, "{\"content\":\" the capital of France.\"}", "null"),
                openAiChunk(model, "{}", "\"stop\""),
                "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1760000000,\"model\":\""
                        + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}",
                "data: [DONE]"));
        List<String> pieces = new CopyOnWriteArrayList<>();
        JsonPath done = streamedTask(post(urlEqualTo(OpenAiProviderTest.PATH))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withFixedDelay(1500).withBody(body)), "openai", model, pieces);

        assertEquals("Paris is the capital of France.", done.getString("result"));
        assertEquals(12, done.getInt("usage.input_tokens"));
        assertEquals(5, done.getInt("usage.output_tokens"));
        assertEquals("openai", done.getString("provider"));
        assertTrue(!pieces.isEmpty(), "the answer went out live");
        assertEquals("Paris is the capital of France.", String.join("", pieces));
    }

    @Test
    void aStreamedToolCallRunsTheToolAndTheStreamedAnswerFollows() {
        String model = "gpt-test-stream-tools";
        String usage = "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1760000000,"
                + "\"model\":\"" + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d}}";
        String toolCall = sse(List.of(
                openAiChunk(model, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_abc\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"calculator\",\"arguments\":\"\"}}]}", "null"),
                openAiChunk(model, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"expression\\\": \"}}]}", "null"),
                openAiChunk(model, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"1234 * 5678\\\"}\"}}]}", "null"),
                openAiChunk(model, "{}", "\"tool_calls\""),
                usage.formatted(100, 20, 120),
                "data: [DONE]"));
        String answer = sse(List.of(
                openAiChunk(model, "{\"role\":\"assistant\",\"content\":\"1234 * 5678\"}", "null"),
                openAiChunk(model, "{\"content\":\" = 7006652\"}", "null"),
                openAiChunk(model, "{}", "\"stop\""),
                usage.formatted(150, 10, 160),
                "data: [DONE]"));
        server.register(post(urlEqualTo(OpenAiProviderTest.PATH)).atPriority(5)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(toolCall)));
        server.register(post(urlEqualTo(OpenAiProviderTest.PATH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool' && @.content == '7006652')]"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(answer)));

        String id = submit(Map.of("query", "What is 1234 * 5678?", "mode", "standard", "provider", "openai", "model", model));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("1234 * 5678 = 7006652", done.getString("result"));
        assertEquals(250, done.getInt("usage.input_tokens"));
        assertEquals(30, done.getInt("usage.output_tokens"));
        List<String> types = authed().get("/api/v1/tasks/" + id + "/events").jsonPath().getList("events.type");
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "LLM_OUTPUT", "TOOL_INVOKED", "TOOL_RESULT", "LLM_OUTPUT",
                "TASK_COMPLETED"), types);
    }

    @Test
    void anthropicStreamsItsAnswerAndReportsUsage() {
        String model = "claude-test-stream";
        String body = sse(List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":14,\"output_tokens\":1}}}",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris is\"}}",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\" the capital of France.\"}}",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":6}}",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}"));
        List<String> pieces = new CopyOnWriteArrayList<>();
        JsonPath done = streamedTask(post(urlEqualTo(AnthropicProviderTest.PATH))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withFixedDelay(1500).withBody(body)), "anthropic", model, pieces);

        assertEquals("Paris is the capital of France.", done.getString("result"));
        assertEquals(14, done.getInt("usage.input_tokens"));
        assertEquals(6, done.getInt("usage.output_tokens"));
        assertEquals("Paris is the capital of France.", String.join("", pieces));
    }

    @Test
    void aRejectedStreamFailsTheTaskAtOnceWithoutTheKey() {
        String model = "gpt-test-stream-401";
        server.register(post(urlEqualTo(OpenAiProviderTest.PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"Incorrect API key provided: " + FakeProviders.OPENAI_KEY
                                + "\", \"code\": \"invalid_api_key\"}}")));

        String id = submit(Map.of("query", "Hello?", "provider", "openai", "model", model));
        JsonPath failed = awaitStatus(id, "TASK_STATUS_FAILED", WITHIN);
        assertEquals("LLM request rejected: authentication failed (HTTP 401)", failed.getString("error"));
        assertFalse(authed().get("/api/v1/tasks/" + id + "/events").asString().contains(FakeProviders.OPENAI_KEY));
    }
}
