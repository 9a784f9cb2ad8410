package dev.taskgate.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.taskgate.config.TaskgateConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.errorOf;
import static dev.taskgate.support.Api.eventually;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks end to end against a real receiver (WireMock): signatures checked here with the
 * Standard Webhooks algorithm written out, retries after a 5xx and after a timeout (the test
 * profile retries after 500 ms three times, and an attempt may take 1 s), 410, redirects, secret
 * rotation, bad input, and deliveries that survive a replica dying between commit and send.
 */
@QuarkusTest
class WebhookTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final String OTHER = dev.taskgate.support.Api.OTHER_TENANT_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer receiver;

    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    DeliveryStore store;
    @Inject
    WebhookSender sender;
    @Inject
    MeterRegistry metrics;
    @Inject
    TaskgateConfig.Webhooks config;

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(options().dynamicPort());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @AfterEach
    void deleteEndpoints() {
        for (String key : List.of(dev.taskgate.support.Api.KEY, OTHER)) {
            for (String id : as(key).get("/api/v1/webhooks").jsonPath().<String>getList("webhooks.id")) {
                as(key).delete("/api/v1/webhooks/" + id).then().statusCode(204);
            }
        }
        dispatcher.pause(false);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.port() + path;
    }

    private static void answer(String path, int status) {
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status)));
    }

    private static String submitWithWebhook(String key, String path, Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(Map.of("query", "What is 6 * 7?", "webhook_url", url(path)));
        body.putAll(more);
        return as(key).contentType(ContentType.JSON).body(body).post("/api/v1/tasks")
                .then().statusCode(202).extract().path("task_id");
    }

    private static List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private static JsonPath deliveries(String key, String taskId) {
        return as(key).get("/api/v1/tasks/" + taskId + "/webhooks").then().statusCode(200).extract().jsonPath();
    }

    private static String taskSecret(String key) {
        return as(key).post("/api/v1/webhooks/task-secret").then().statusCode(200).extract().path("secret");
    }

    /** Standard Webhooks verification, written out: HMAC-SHA256 of id.timestamp.body with the secret's key bytes. */
    private static boolean signedWith(LoggedRequest request, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal((request.getHeader("webhook-id") + "."
                + request.getHeader("webhook-timestamp") + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
        return List.of(request.getHeader("webhook-signature").split(" ")).contains(expected);
    }

    @Test
    void aCompletedTaskIsDeliveredToItsWebhookUrlSignedWithTheTaskSecret() throws Exception {
        answer("/hooks/ok", 204);
        String secret = taskSecret(dev.taskgate.support.Api.KEY);
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), secret);
        String taskId = submitWithWebhook(dev.taskgate.support.Api.KEY, "/hooks/ok", Map.of());
        String task = authed().get("/api/v1/tasks/" + awaitStatus(taskId, "TASK_STATUS_COMPLETED", WITHIN)
                .getString("task_id")).asString();

        eventually(WITHIN, () -> assertEquals(1, received("/hooks/ok").size()));
        LoggedRequest request = received("/hooks/ok").get(0);
        assertTrue(signedWith(request, secret), request.getHeader("webhook-signature"));
        assertTrue(request.getHeader("webhook-id").startsWith("msg_"));
        long timestamp = Long.parseLong(request.getHeader("webhook-timestamp"));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - timestamp) < 60, "timestamp " + timestamp);
        assertEquals("application/json", request.getHeader("content-type"));
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertEquals("task.completed", body.get("type").asText());
        assertTrue(body.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertEquals(JSON.readTree(task), body.get("data"), "data is the task exactly as GET returns it");

        eventually(WITHIN, () -> {
            JsonPath delivery = deliveries(dev.taskgate.support.Api.KEY, taskId);
            assertEquals(List.of("delivered"), delivery.getList("deliveries.status"));
            assertEquals(request.getHeader("webhook-id"), delivery.getString("deliveries[0].id"));
            assertEquals("task.completed", delivery.getString("deliveries[0].event_type"));
            assertEquals(204, delivery.getInt("deliveries[0].attempts[0].http_status"));
            assertEquals("", delivery.getString("deliveries[0].attempts[0].error"));
            assertNull(delivery.getString("deliveries[0].endpoint_id"));
        });
        as(OTHER).get("/api/v1/tasks/" + taskId + "/webhooks").then().statusCode(404);
        String metricsText = RestAssured.get("/q/metrics").asString();
        assertTrue(metricsText.contains("taskgate_webhook_deliveries_total{outcome=\"delivered\"}"), "metric missing");
    }

    @Test
    void aFailedAttemptIsRetriedWithTheSameIdAndBody() {
        receiver.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        receiver.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        String taskId = submitWithWebhook(dev.taskgate.support.Api.KEY, "/hooks/flaky", Map.of());

        eventually(WITHIN, () -> assertEquals(List.of("delivered"), deliveries(dev.taskgate.support.Api.KEY, taskId)
                .getList("deliveries.status")));
        List<LoggedRequest> requests = received("/hooks/flaky");
        assertEquals(2, requests.size());
        assertEquals(requests.get(0).getHeader("webhook-id"), requests.get(1).getHeader("webhook-id"));
        assertEquals(requests.get(0).getBodyAsString(), requests.get(1).getBodyAsString());
        JsonPath delivery = deliveries(dev.taskgate.support.Api.KEY, taskId);
        assertEquals(List.of(503, 200), delivery.getList("deliveries[0].attempts.http_status"));
        assertEquals("HTTP 503", delivery.getString("deliveries[0].attempts[0].error"));
    }

    @Test
    void anAttemptThatTimesOutIsRetried() {
        receiver.stubFor(post(urlEqualTo("/hooks/slow")).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2500)).willSetStateTo("fast"));
        receiver.stubFor(post(urlEqualTo("/hooks/slow")).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(200)));
        String taskId = submitWithWebhook(dev.taskgate.support.Api.KEY, "/hooks/slow", Map.of());

        eventually(WITHIN, () -> assertEquals(List.of("delivered"), deliveries(dev.taskgate.support.Api.KEY, taskId)
                .getList("deliveries.status")));
        JsonPath delivery = deliveries(dev.taskgate.support.Api.KEY, taskId);
        assertNull(delivery.getString("deliveries[0].attempts[0].http_status"));
        assertTrue(delivery.getString("deliveries[0].attempts[0].error").startsWith("No answer within 1000 ms"),
                delivery.getString("deliveries[0].attempts[0].error"));
        assertEquals(200, delivery.getInt("deliveries[0].attempts[1].http_status"));
    }

    @Test
    void aRedirectIsAFailedAttemptAndIsNotFollowed() {
        receiver.stubFor(post(urlEqualTo("/hooks/moved")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", url("/hooks/elsewhere"))));
        answer("/hooks/elsewhere", 200);
        String taskId = submitWithWebhook(dev.taskgate.support.Api.KEY, "/hooks/moved", Map.of());

        // 1 attempt and the 3 retries of the test profile, then the delivery has failed for good
        eventually(WITHIN, () -> assertEquals(List.of("failed"), deliveries(dev.taskgate.support.Api.KEY, taskId)
                .getList("deliveries.status")));
        JsonPath delivery = deliveries(dev.taskgate.support.Api.KEY, taskId);
        assertEquals(List.of(307, 307, 307, 307), delivery.getList("deliveries[0].attempts.http_status"));
        assertEquals("HTTP 307 (redirects are not followed)", delivery.getString("deliveries[0].attempts[0].error"));
        assertNull(delivery.getString("deliveries[0].next_attempt_at"));
        assertTrue(received("/hooks/elsewhere").isEmpty());
    }

    @Test
    void anEndpointGetsTheEventsItAsksForAnd410DisablesIt() throws Exception {
        answer("/hooks/gone", 410);
        JsonPath created = as(OTHER).contentType(ContentType.JSON)
                .body(Map.of("url", url("/hooks/gone"), "event_types", List.of("task.failed")))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath();
        String endpointId = created.getString("id");
        assertTrue(created.getString("secret").startsWith("whsec_"));
        assertEquals(List.of("task.failed"), created.getList("event_types"));
        JsonPath listed = as(OTHER).get("/api/v1/webhooks").jsonPath();
        assertEquals(List.of(endpointId), listed.getList("webhooks.id"));
        assertNull(listed.getString("webhooks[0].secret"), "the secret is shown only once");

        String completed = as(OTHER).contentType(ContentType.JSON).body(Map.of("query", "Hi"))
                .post("/api/v1/tasks").then().statusCode(202).extract().path("task_id");
        String failed = as(OTHER).contentType(ContentType.JSON)
                .body(Map.of("query", "Hi", "context", simulate(Map.of("error", "LLM service unavailable"))))
                .post("/api/v1/tasks").then().statusCode(202).extract().path("task_id");

        eventually(WITHIN, () -> assertEquals(List.of("failed"), deliveries(OTHER, failed).getList("deliveries.status")));
        assertEquals(410, deliveries(OTHER, failed).getInt("deliveries[0].attempts[0].http_status"));
        assertEquals(endpointId, deliveries(OTHER, failed).getString("deliveries[0].endpoint_id"));
        LoggedRequest request = received("/hooks/gone").get(0);
        assertTrue(signedWith(request, created.getString("secret")));
        assertEquals("task.failed", JSON.readTree(request.getBodyAsString()).get("type").asText());
        JsonPath after = as(OTHER).get("/api/v1/webhooks").jsonPath();
        assertFalse(after.getBoolean("webhooks[0].enabled"));
        assertTrue(after.getString("webhooks[0].disabled_reason").contains("410"));
        eventually(WITHIN, () -> as(OTHER).get("/api/v1/tasks/" + completed).then()
                .body("status", org.hamcrest.Matchers.equalTo("TASK_STATUS_COMPLETED")));
        assertTrue(deliveries(OTHER, completed).getList("deliveries").isEmpty(), "task.completed was not asked for");
        String resend = deliveries(OTHER, failed).getString("deliveries[0].id");
        errorOf(as(OTHER).post("/api/v1/webhooks/deliveries/" + resend + "/resend"), 409);
    }

    @Test
    void aRotatedSecretSignsAlongsideTheNewOneDuringTheGracePeriod() throws Exception {
        answer("/hooks/rotated", 200);
        JsonPath created = as(OTHER).contentType(ContentType.JSON).body(Map.of("url", url("/hooks/rotated")))
                .post("/api/v1/webhooks").then().statusCode(201).extract().jsonPath();
        String first = created.getString("secret");
        assertEquals(6, created.getList("event_types").size(), "every event type when none is named");
        String second = as(OTHER).post("/api/v1/webhooks/" + created.getString("id") + "/rotate")
                .then().statusCode(200).extract().path("secret");
        String taskId = as(OTHER).contentType(ContentType.JSON).body(Map.of("query", "Hi"))
                .post("/api/v1/tasks").then().statusCode(202).extract().path("task_id");

        eventually(WITHIN, () -> assertEquals(List.of("delivered"), deliveries(OTHER, taskId).getList("deliveries.status")));
        LoggedRequest request = received("/hooks/rotated").get(0);
        assertEquals(2, request.getHeader("webhook-signature").split(" ").length);
        assertTrue(signedWith(request, first));
        assertTrue(signedWith(request, second));
        assertFalse(first.equals(second));
    }

    @Test
    void aDeliveryCommittedWithTheTerminalStatusIsSentByAnotherDispatcherAfterACrash() {
        answer("/hooks/crash", 200);
        dispatcher.pause(true); // this replica "dies" after the commit, before it sends
        String taskId = submitWithWebhook(dev.taskgate.support.Api.KEY, "/hooks/crash", Map.of());
        awaitStatus(taskId, "TASK_STATUS_COMPLETED", WITHIN);
        sleep(500);
        JsonPath pending = deliveries(dev.taskgate.support.Api.KEY, taskId);
        assertEquals(List.of("pending"), pending.getList("deliveries.status"));
        assertTrue(pending.getList("deliveries[0].attempts").isEmpty());
        assertNotNull(pending.get("deliveries[0].next_attempt_at"));
        assertTrue(received("/hooks/crash").isEmpty());

        WebhookDispatcher another = new WebhookDispatcher(store, sender, metrics, config);
        another.dispatchDue();
        eventually(WITHIN, () -> assertEquals(List.of("delivered"), deliveries(dev.taskgate.support.Api.KEY, taskId)
                .getList("deliveries.status")));
        assertEquals(1, received("/hooks/crash").size());
    }

    @Test
    void aDeliveryClaimedByAReplicaThatDiedIsSentWhenItsLeaseEnds() {
        answer("/hooks/lease", 200);
        dispatcher.pause(true);
        String taskId = submitWithWebhook(dev.taskgate.support.Api.KEY, "/hooks/lease", Map.of());
        awaitStatus(taskId, "TASK_STATUS_COMPLETED", WITHIN);
        eventually(WITHIN, () -> assertEquals(1, deliveries(dev.taskgate.support.Api.KEY, taskId)
                .getList("deliveries").size()));
        List<DeliveryStore.Claimed> claimed = store.claim(100); // claimed, then the claimer dies without sending
        assertTrue(claimed.stream().anyMatch(delivery -> delivery.taskId().equals(taskId)));
        dispatcher.pause(false);
        sleep(1000);
        assertTrue(received("/hooks/lease").isEmpty(), "not sent while the lease holds");
        eventually(Duration.ofSeconds(30), () -> assertEquals(List.of("delivered"),
                deliveries(dev.taskgate.support.Api.KEY, taskId).getList("deliveries.status")));
        assertEquals(1, received("/hooks/lease").size());
    }

    @Test
    void aDeliveryCanBeSentAgainWithTheSameId() {
        answer("/hooks/again", 200);
        String taskId = submitWithWebhook(dev.taskgate.support.Api.KEY, "/hooks/again", Map.of());
        eventually(WITHIN, () -> assertEquals(1, received("/hooks/again").size()));
        eventually(WITHIN, () -> assertEquals(List.of("delivered"), deliveries(dev.taskgate.support.Api.KEY, taskId)
                .getList("deliveries.status")));
        String id = deliveries(dev.taskgate.support.Api.KEY, taskId).getString("deliveries[0].id");
        errorOf(as(OTHER).post("/api/v1/webhooks/deliveries/" + id + "/resend"), 404);
        authed().post("/api/v1/webhooks/deliveries/" + id + "/resend").then().statusCode(200);
        eventually(WITHIN, () -> assertEquals(2, received("/hooks/again").size()));
        assertEquals(id, received("/hooks/again").get(1).getHeader("webhook-id"));
    }

    @Test
    void badInputIsRefusedWithAJsonError() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("url", "not a url"), Map.of("url", "ftp://example.com/hook"), Map.of("url", "https://"),
                Map.of("url", url("/hooks/x"), "event_types", List.of("task.exploded")), Map.of("event_types", List.of()))) {
            String error = errorOf(authed().contentType(ContentType.JSON).body(body).post("/api/v1/webhooks"), 400);
            assertFalse(error.isBlank());
        }
        errorOf(authed().contentType(ContentType.JSON).body("").post("/api/v1/webhooks"), 400);
        errorOf(authed().contentType(ContentType.JSON).body(Map.of("query", "Hi", "webhook_url", "ftp://example.com/x"))
                .post("/api/v1/tasks"), 400);
        errorOf(authed().contentType(ContentType.JSON).body(Map.of("query", "Hi", "webhook_url", "no url"))
                .post("/api/v1/tasks"), 400);
        errorOf(authed().delete("/api/v1/webhooks/ep_01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404);
        errorOf(authed().post("/api/v1/webhooks/nope/rotate"), 404);
        errorOf(authed().post("/api/v1/webhooks/deliveries/nope/resend"), 404);
    }

    @Test
    void theWebhookUrlIsPartOfTheIdempotencyFingerprint() {
        answer("/hooks/idem", 200);
        String key = "webhook-idem-" + System.nanoTime();
        Map<String, Object> body = Map.of("query", "Hi", "webhook_url", url("/hooks/idem"));
        authed().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/api/v1/tasks")
                .then().statusCode(202);
        authed().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post("/api/v1/tasks")
                .then().statusCode(202).header("Idempotent-Replayed", "true");
        errorOf(authed().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("query", "Hi", "webhook_url", url("/hooks/other"))).post("/api/v1/tasks"), 422);
    }
}
