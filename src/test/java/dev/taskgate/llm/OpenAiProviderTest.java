package dev.taskgate.llm;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.taskgate.support.FakeProviders;
import dev.taskgate.support.ModelCalls;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks on the {@code openai} provider against a real HTTP server speaking the OpenAI
 * chat-completions wire format. Each test stubs its own model name.
 */
@QuarkusTest
class OpenAiProviderTest {

    static final String PATH = "/openai/v1/chat/completions";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource dataSource;

    private final WireMock server = FakeProviders.client();

    static String completion(String model, String content, long in, long out) {
        return """
                {"id": "chatcmpl-1", "object": "chat.completion", "created": 1760000000, "model": "%s",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": %s}, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d}}
                """.formatted(model, quote(content), in, out, in + out);
    }

    static String toolCall(String model, String tool, String arguments, long in, long out) {
        return """
                {"id": "chatcmpl-2", "object": "chat.completion", "created": 1760000000, "model": "%s",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [
                   {"id": "call_abc", "type": "function", "function": {"name": "%s", "arguments": %s}}]},
                   "finish_reason": "tool_calls"}],
                 "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d}}
                """.formatted(model, tool, quote(arguments), in, out, in + out);
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Map<String, Object> task(String query, String mode, String model) {
        return Map.of("query", query, "mode", mode, "provider", "openai", "model", model);
    }

    @Test
    void plainCompletionRecordsModelUsageAndCostToTheCent() {
        server.register(post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo("gpt-test-priced")))
                .willReturn(okJson(completion("gpt-test-priced-2025-01-01", "The capital of France is Paris.", 100_000, 50_000))));

        String id = submit(task("What is the capital of France?", "simple", "gpt-test-priced"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("The capital of France is Paris.", done.getString("result"));
        assertEquals("The capital of France is Paris.", done.getString("response.result"));
        assertEquals("gpt-test-priced-2025-01-01", done.getString("model_used"));
        assertEquals("openai", done.getString("provider"));
        assertEquals(100_000, done.getLong("usage.input_tokens"));
        assertEquals(50_000, done.getLong("usage.output_tokens"));
        assertEquals(150_000, done.getLong("usage.total_tokens"));
        // 100,000 × $2.50/M + 50,000 × $10.00/M
        assertEquals(0.75, done.getDouble("usage.estimated_cost"));
        List<ModelCalls.Row> rows = ModelCalls.of(dataSource, id);
        assertEquals(1, rows.size());
        assertEquals("openai", rows.get(0).provider());
        assertEquals(0, new BigDecimal("0.75").compareTo(rows.get(0).cost()));
        server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + FakeProviders.OPENAI_KEY))
                .withRequestBody(containing("What is the capital of France?")));
    }

    /** A paid answer is never lost to a character PostgreSQL cannot store: U+0000 is dropped. */
    @Test
    void anAnswerWithNulCharactersIsStored() {
        server.register(post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo("gpt-test-nul")))
                .willReturn(okJson(completion("gpt-test-nul", "ANSWER", 10, 3).replace("\"ANSWER\"", "\"a\\u0000b\""))));
        String id = submit(task("Say something odd", "simple", "gpt-test-nul"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);
        assertEquals("ab", done.getString("result"));
        assertEquals(13, done.getLong("usage.total_tokens"));
    }

    @Test
    void toolCallRoundTripRunsTheCalculatorAndSumsBothCalls() {
        String model = "gpt-test-tools";
        server.register(post(urlEqualTo(PATH)).atPriority(5)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(okJson(toolCall(model, "calculator", "{\"expression\": \"1234 * 5678\"}", 1000, 100))));
        server.register(post(urlEqualTo(PATH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(okJson(completion(model, "1234 * 5678 = 7006652", 1500, 200))));

        String id = submit(task("What is 1234 * 5678?", "standard", model));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("1234 * 5678 = 7006652", done.getString("result"));
        assertEquals(2500, done.getLong("usage.input_tokens"));
        assertEquals(300, done.getLong("usage.output_tokens"));
        // the tool ran in Taskgate and its exact result went back to the model
        server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool' && @.content == '7006652')]")));
        server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(matchingJsonPath("$.tools[?(@.function.name == 'calculator')]")));
        List<ModelCalls.Row> rows = ModelCalls.of(dataSource, id);
        assertEquals(2, rows.size());
        assertEquals(done.getLong("usage.input_tokens"), ModelCalls.inputTokens(rows));
    }

    @Test
    void complexModePlansFansOutAndSynthesizes() {
        String model = "gpt-test-complex";
        server.register(post(urlEqualTo(PATH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .willReturn(okJson(completion(model,
                        "{\"subtasks\": [\"Population of Paris\", \"Population of Berlin\", \"Compare them\"]}", 300, 40))));
        server.register(post(urlEqualTo(PATH)).atPriority(2)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(containing("Results of the sub-tasks"))
                .willReturn(okJson(completion(model, "Berlin has more inhabitants than Paris.", 500, 60))));
        server.register(post(urlEqualTo(PATH)).atPriority(5)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(okJson(completion(model, "a sub-task result", 100, 20))));

        String id = submit(task("Which city has more inhabitants, Paris or Berlin?", "complex", model));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("Berlin has more inhabitants than Paris.", done.getString("result"));
        List<String> purposes = ModelCalls.of(dataSource, id).stream().map(ModelCalls.Row::purpose).toList();
        assertEquals(5, purposes.size());
        assertEquals("PLAN", purposes.get(0));
        assertEquals(3, purposes.stream().filter("SUBTASK"::equals).count());
        assertEquals("SYNTHESIS", purposes.get(4));
        assertEquals(300 + 3 * 100 + 500, done.getLong("usage.input_tokens"));
        assertEquals(40 + 3 * 20 + 60, done.getLong("usage.output_tokens"));
        for (String subtask : List.of("Population of Paris", "Population of Berlin", "Compare them")) {
            server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                    .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'user' && @.content == '" + subtask + "')]")));
        }
    }

    @Test
    void rateLimitIsRetriedAndThenSucceeds() {
        String model = "gpt-test-429";
        server.register(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs(STARTED)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"rate_limit_error\"}}"))
                .willSetStateTo("recovered"));
        server.register(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs("recovered")
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(okJson(completion(model, "Recovered after a rate limit.", 10, 5))));

        String id = submit(task("Hello?", "simple", model));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("Recovered after a rate limit.", done.getString("result"));
        server.verifyThat(2, postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model))));
        assertEquals(1, ModelCalls.of(dataSource, id).size());
    }

    @Test
    void repeatedServerErrorsFailTheTaskAfterTheConfiguredAttempts() {
        String model = "gpt-test-500";
        server.register(post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(500).withBody("{\"error\": {\"message\": \"boom at line 42\"}}")));

        String id = submit(task("Hello?", "simple", model));
        JsonPath failed = awaitStatus(id, "TASK_STATUS_FAILED", WITHIN);

        assertEquals("LLM service unavailable: server error (HTTP 500)", failed.getString("error"));
        server.verifyThat(3, postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model))));
    }

    @Test
    void badKeyFailsAtOnceWithoutLeakingTheKey() {
        String model = "gpt-test-401";
        server.register(post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"Incorrect API key provided: " + FakeProviders.OPENAI_KEY
                                + "\", \"code\": \"invalid_api_key\"}}")));

        String id = submit(task("Hello?", "simple", model));
        JsonPath failed = awaitStatus(id, "TASK_STATUS_FAILED", WITHIN);

        assertEquals("LLM request rejected: authentication failed (HTTP 401)", failed.getString("error"));
        assertFalse(failed.prettify().contains(FakeProviders.OPENAI_KEY));
        server.verifyThat(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model))));
    }

    @Test
    void slowProviderEndsInTimeoutAtTheDeadline() {
        String model = "gpt-test-slow";
        server.register(post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(okJson(completion(model, "too late", 10, 5)).withFixedDelay(5_000)));

        long started = System.nanoTime();
        String id = submit(Map.of("query", "Hello?", "provider", "openai", "model", model, "timeout_seconds", 1));
        JsonPath timedOut = awaitStatus(id, "TASK_STATUS_TIMEOUT", Duration.ofSeconds(10));

        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 4_000);
        assertEquals("Task exceeded its timeout of 1 seconds", timedOut.getString("error"));
    }

    @Test
    void sessionTurnsAreSentAsHistory() {
        String model = "gpt-test-session";
        server.register(post(urlEqualTo(PATH)).atPriority(5).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(okJson(completion(model, "Nice to meet you, Ada.", 20, 8))));
        server.register(post(urlEqualTo(PATH)).atPriority(1).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(containing("What is my name?"))
                .willReturn(okJson(completion(model, "Your name is Ada.", 40, 6))));
        Map<String, Object> first = Map.of("query", "My name is Ada.", "session_id", "openai-session-1",
                "provider", "openai", "model", model);
        awaitStatus(submit(first), "TASK_STATUS_COMPLETED", WITHIN);

        String second = submit(Map.of("query", "What is my name?", "session_id", "openai-session-1",
                "provider", "openai", "model", model));
        JsonPath done = awaitStatus(second, "TASK_STATUS_COMPLETED", WITHIN);

        assertEquals("Your name is Ada.", done.getString("result"));
        server.verifyThat(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(containing("What is my name?"))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'user' && @.content == 'My name is Ada.')]"))
                .withRequestBody(matchingJsonPath(
                        "$.messages[?(@.role == 'assistant' && @.content == 'Nice to meet you, Ada.')]")));
    }

    @Test
    void failedTaskKeepsTheUsageOfTheCallsItMade() {
        String model = "gpt-test-partial";
        server.register(post(urlEqualTo(PATH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(matchingJsonPath("$.response_format"))
                .willReturn(okJson(completion(model, "{\"subtasks\": [\"one\", \"two\"]}", 700, 30))));
        server.register(post(urlEqualTo(PATH)).atPriority(5)
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(403).withBody("{\"error\": {\"message\": \"forbidden\"}}")));

        String id = submit(task("Plan something", "complex", model));
        JsonPath failed = awaitStatus(id, "TASK_STATUS_FAILED", WITHIN);

        assertEquals("LLM request rejected: authentication failed (HTTP 403)", failed.getString("error"));
        assertEquals(700, failed.getLong("usage.input_tokens"));
        assertEquals(30, failed.getLong("usage.output_tokens"));
        assertEquals("openai", failed.getString("provider"));
        assertEquals(1, ModelCalls.of(dataSource, id).size());
    }
}
