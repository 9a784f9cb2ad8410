package dev.taskgate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** provider / model / model_tier at submit: unknown names are a 400 before any task exists. */
@QuarkusTest
class ModelSelectionTest {

    private static void rejected(Map<String, Object> body, String error) {
        authed().contentType(ContentType.JSON).body(body).post("/api/v1/tasks")
                .then().statusCode(400).body("error", equalTo(error));
    }

    @Test
    void unknownProviderModelOrTierIsABadRequest() {
        rejected(Map.of("query", "q", "provider", "nope"),
                "Unknown provider 'nope': expected one of local, openai, anthropic");
        rejected(Map.of("query", "q", "provider", "openai", "model", "gpt-nope"),
                "Unknown model 'gpt-nope' for provider 'openai'");
        rejected(Map.of("query", "q", "model", "gpt-nope"), "Unknown model 'gpt-nope'");
        rejected(Map.of("query", "q", "model_tier", "huge"), "Unknown model_tier 'huge': expected one of large, small");
        rejected(Map.of("query", "q", "model_tier", "small", "provider", "openai"),
                "Give either model_tier or provider/model, not both");
    }

    @Test
    void aTierMapsToItsProviderAndModel() {
        String id = submit(Map.of("query", "Hello", "model_tier", "small"));
        var done = awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        assertEquals("local", done.getString("provider"));
        assertEquals("taskgate-local-1", done.getString("model_used"));
    }

    @Test
    void aModelAloneSelectsTheProviderThatHasIt() {
        String id = submit(Map.of("query", "Hello", "model", "taskgate-local-1"));
        assertEquals("local", awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15)).getString("provider"));
    }
}
