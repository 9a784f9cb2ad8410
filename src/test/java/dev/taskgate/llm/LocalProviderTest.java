package dev.taskgate.llm;

import dev.taskgate.support.Api;
import dev.taskgate.support.ModelCalls;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in local model as a tiny agent: tools in STANDARD, plan and synthesis in COMPLEX, sessions, usage. */
@QuarkusTest
class LocalProviderTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void standardModeUsesTheCalculatorForArithmetic() {
        String id = submit(Map.of("query", "What is 1234 * 5678?", "mode", "standard"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        String result = done.getString("result");
        assertTrue(result.contains("7006652"), result);
        assertTrue(result.contains("local model"), result);
        assertEquals("local", done.getString("provider"));
        assertEquals("taskgate-local-1", done.getString("model_used"));
        List<ModelCalls.Row> rows = ModelCalls.of(dataSource, id);
        assertEquals(2, rows.size(), "a tool call, then the answer");
        assertEquals(ModelCalls.inputTokens(rows), done.getLong("usage.input_tokens"));
        assertEquals(ModelCalls.outputTokens(rows), done.getLong("usage.output_tokens"));
        assertTrue(done.getLong("usage.input_tokens") > 50, "the prompt, tool specs and tool result are counted");
        assertEquals(0.0, done.getDouble("usage.estimated_cost"));
    }

    @Test
    void simpleModeAnswersWithoutTools() {
        String id = submit(Map.of("query", "What is 1234 * 5678?", "mode", "simple"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        assertTrue(done.getString("result").startsWith("[Taskgate local model]"));
        assertEquals(1, ModelCalls.of(dataSource, id).size());
    }

    @Test
    void complexModePlansSubtasksAndSynthesizesThem() {
        String id = submit(Map.of("query", "Compare the climate of Norway, the history of Spain and the food of Italy",
                "mode", "complex"));
        JsonPath done = awaitStatus(id, "TASK_STATUS_COMPLETED", WITHIN);

        List<String> purposes = ModelCalls.of(dataSource, id).stream().map(ModelCalls.Row::purpose).toList();
        assertEquals(List.of("PLAN", "SUBTASK", "SUBTASK", "SUBTASK", "SYNTHESIS"), purposes);
        assertTrue(done.getString("result").contains("Synthesis of 3 sub-tasks"), done.getString("result"));
    }

    @Test
    void laterTurnsOfASessionSeeEarlierOnes() {
        awaitStatus(submit(Map.of("query", "Remember the word tangerine.", "session_id", "local-session-1")),
                "TASK_STATUS_COMPLETED", WITHIN);
        JsonPath second = awaitStatus(submit(Map.of("query", "Which word did I ask you to remember?",
                "session_id", "local-session-1")), "TASK_STATUS_COMPLETED", WITHIN);
        assertTrue(second.getString("result").contains("Remember the word tangerine."), second.getString("result"));

        JsonPath otherSession = awaitStatus(submit(Map.of("query", "Which word did I ask you to remember?",
                "session_id", "local-session-2")), "TASK_STATUS_COMPLETED", WITHIN);
        assertTrue(!otherSession.getString("result").contains("tangerine"));
    }

    @Test
    void slowGenerationEndsInTimeoutAndKeepsTheUsageOfFinishedCalls() {
        // COMPLEX: the plan is made, then each sub-task generates slowly past the deadline
        String id = submit(Map.of("query", "Explain tides, and explain seasons", "mode", "complex",
                "timeout_seconds", 2, "context", simulate(Map.of("chunk_delay_ms", 150))));
        JsonPath timedOut = awaitStatus(id, "TASK_STATUS_TIMEOUT", Duration.ofSeconds(10));

        List<ModelCalls.Row> rows = ModelCalls.of(dataSource, id);
        assertEquals("PLAN", rows.get(0).purpose());
        assertEquals(ModelCalls.inputTokens(rows), timedOut.getLong("usage.input_tokens"));
        assertEquals("local", timedOut.getString("provider"));
    }

    @Test
    void cancelledTaskKeepsTheUsageOfFinishedCalls() {
        String id = submit(Map.of("query", "Explain tides, and explain seasons", "mode", "complex",
                "context", simulate(Map.of("chunk_delay_ms", 150))));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ModelCalls.of(dataSource, id).isEmpty() && System.nanoTime() < deadline) {
            Api.sleep(50);
        }
        Api.authed().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/tasks/" + id + "/cancel")
                .then().statusCode(202);
        JsonPath cancelled = awaitStatus(id, "TASK_STATUS_CANCELLED", WITHIN);

        List<ModelCalls.Row> rows = ModelCalls.of(dataSource, id);
        assertEquals("PLAN", rows.get(0).purpose());
        assertEquals(ModelCalls.inputTokens(rows), cancelled.getLong("usage.input_tokens"));
        assertEquals(ModelCalls.outputTokens(rows), cancelled.getLong("usage.output_tokens"));
    }

    @Test
    void historyKeepsTheNewestTurnsWithinTheTokenBudget() {
        // the first answer alone (about 5,000 tokens) exceeds the 4,000-token history budget
        awaitStatus(submit(Map.of("query", "First question", "session_id", "local-session-budget",
                "context", simulate(Map.of("result", "long answer ".repeat(1_700))))), "TASK_STATUS_COMPLETED", WITHIN);
        awaitStatus(submit(Map.of("query", "Second question", "session_id", "local-session-budget")),
                "TASK_STATUS_COMPLETED", WITHIN);

        JsonPath third = awaitStatus(submit(Map.of("query", "Third question", "session_id", "local-session-budget")),
                "TASK_STATUS_COMPLETED", WITHIN);

        String result = third.getString("result");
        assertTrue(result.contains("Earlier in this session you asked: \"Second question\""), result);
        assertTrue(!result.contains("First question"), result);
    }
}
