package dev.taskgate.events;

import dev.taskgate.proto.v1.StreamTaskEventsRequest;
import dev.taskgate.support.Api;
import dev.taskgate.support.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.taskgate.support.Api.as;
import static dev.taskgate.support.Api.authed;
import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.simulate;
import static dev.taskgate.support.Api.submit;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event log, its SSE stream (replay, live, resume, heartbeat) and the gRPC stream. */
@QuarkusTest
@Timeout(60)
class EventStreamTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One SSE frame, or a comment line (type "comment"). */
    record Frame(long id, String type, String data) {
    }

    private static HttpRequest.Builder streamRequest(String taskId, String key) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/tasks/" + taskId + "/stream"))
                .header("X-API-Key", key).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30));
    }

    /** Reads frames until the server ends the stream, or {@code max} frames. */
    private static List<Frame> readFrames(InputStream body, int max) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            long id = -1;
            String type = null;
            StringBuilder data = new StringBuilder();
            String line;
            while (frames.size() < max && (line = reader.readLine()) != null) {
                if (line.startsWith(":")) {
                    frames.add(new Frame(-1, "comment", line));
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).trim());
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && type != null) {
                    frames.add(new Frame(id, type, data.toString()));
                    id = -1;
                    type = null;
                    data.setLength(0);
                }
            }
        }
        return frames;
    }

    private static List<Frame> stream(String taskId, String lastEventId) throws Exception {
        return stream(HTTP, taskId, lastEventId);
    }

    private static List<Frame> stream(HttpClient client, String taskId, String lastEventId) throws Exception {
        HttpRequest.Builder request = streamRequest(taskId, Api.KEY);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return readFrames(response.body(), Integer.MAX_VALUE).stream().filter(f -> f.id() >= 0).toList();
    }

    private static List<String> types(List<Frame> frames) {
        return frames.stream().map(Frame::type).toList();
    }

    @Test
    void historyHasGaplessSeqAndOneTerminalEventLast() {
        String id = submit(Map.of("query", "What is the capital of France?"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
        JsonPath page = authed().get("/api/v1/tasks/" + id + "/events").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "LLM_OUTPUT", "TASK_COMPLETED"), page.getList("events.type"));
        assertEquals(List.of(1, 2, 3, 4), page.getList("events.seq"));
        assertEquals(id, page.getString("events[0].task_id"));
        assertEquals(Api.get(id).getString("result"), page.getString("events[2].message"));
        assertEquals("COMPLETED", page.getString("events[3].payload.status"));
        assertTrue(page.getString("events[0].timestamp").endsWith("Z"));

        JsonPath second = authed().queryParam("after", 1).queryParam("limit", 2)
                .get("/api/v1/tasks/" + id + "/events").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(2, 3), second.getList("events.seq"));
        assertEquals(3, second.getInt("next_after"));
    }

    @Test
    void standardModeRecordsToolCallsInOrder() {
        String id = submit(Map.of("query", "What is 1234 * 5678?", "mode", "standard"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        JsonPath page = authed().get("/api/v1/tasks/" + id + "/events").then().statusCode(200).extract().jsonPath();
        List<String> types = page.getList("events.type");
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "LLM_OUTPUT", "TOOL_INVOKED", "TOOL_RESULT"), types.subList(0, 5));
        assertEquals("TASK_COMPLETED", types.get(types.size() - 1));
        assertEquals("calculator", page.getString("events[3].payload.tool"));
        assertTrue(page.getString("events[4].message").contains("7006652"));
    }

    @Test
    void complexModeRecordsSubtasks() {
        String id = submit(Map.of("query", "Compare Paris and Rome as travel destinations", "mode", "complex"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(20));
        List<String> types = authed().get("/api/v1/tasks/" + id + "/events").jsonPath().getList("events.type");
        long started = types.stream().filter("SUBTASK_STARTED"::equals).count();
        assertTrue(started >= 2, types.toString());
        assertEquals(started, types.stream().filter("SUBTASK_COMPLETED"::equals).count());
        assertEquals("TASK_COMPLETED", types.get(types.size() - 1));
        assertEquals(1, types.stream().filter(t -> t.startsWith("TASK_") && !t.equals("TASK_QUEUED")
                && !t.equals("TASK_STARTED")).count(), "exactly one terminal event");
    }

    @Test
    void failedAndTimedOutTasksEndWithTheirTerminalEvent() {
        String failed = submit(Map.of("query", "q", "context", simulate(Map.of("error", "boom"))));
        awaitStatus(failed, "TASK_STATUS_FAILED", Duration.ofSeconds(10));
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "TASK_FAILED"),
                authed().get("/api/v1/tasks/" + failed + "/events").jsonPath().getList("events.type"));
        String slow = submit(Map.of("query", "q", "timeout_seconds", 1, "context", simulate(Map.of("delay_ms", 3000))));
        awaitStatus(slow, "TASK_STATUS_TIMEOUT", Duration.ofSeconds(10));
        Api.sleep(2500);
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "TASK_TIMEOUT"),
                authed().get("/api/v1/tasks/" + slow + "/events").jsonPath().getList("events.type"),
                "the abandoned model call's late output must not follow the terminal event");
    }

    @Test
    void finishedTaskStreamReplaysAndEnds() throws Exception {
        String id = submit(Map.of("query", "replay me"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
        List<Frame> frames = stream(id, null);
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "LLM_OUTPUT", "TASK_COMPLETED"), types(frames));
        assertEquals(List.of(1L, 2L, 3L, 4L), frames.stream().map(Frame::id).toList());
        JsonPath data = new JsonPath(frames.get(3).data());
        assertEquals(id, data.getString("task_id"));
        assertEquals(4, data.getInt("seq"));
        assertEquals("TASK_COMPLETED", data.getString("type"));
    }

    /**
     * A finished task's events are ready the moment a stream opens; they must still go out after the
     * stream's head, whatever the timing: many concurrent replays all get the whole history and end,
     * and the server logs no error.
     */
    @Test
    void concurrentReplaysEachGetTheWholeHistoryAndEnd() throws Exception {
        String id = submit(Map.of("query", "replay me often"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        var root = java.util.logging.Logger.getLogger("");
        var capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    errors.add(record.getLoggerName() + ": " + record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        root.addHandler(capture);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<List<Frame>>> replays = new ArrayList<>();
            var http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 120; i++) {
                HttpClient client = i % 2 == 0 ? HTTP : http11;  // HTTP/2 (h2c) and HTTP/1.1 write the head differently
                replays.add(pool.submit(() -> stream(client, id, null)));
            }
            for (var replay : replays) {
                assertEquals(List.of(1L, 2L, 3L, 4L), replay.get(20, TimeUnit.SECONDS).stream().map(Frame::id).toList());
            }
        } finally {
            pool.shutdownNow();
            root.removeHandler(capture);
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void resumeFromEveryPositionLosesAndRepeatsNothing() throws Exception {
        String id = submit(Map.of("query", "resume me"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(10));
        for (long after = 0; after <= 4; after++) {
            List<Frame> frames = stream(id, Long.toString(after));
            List<Long> expected = new ArrayList<>();
            for (long seq = after + 1; seq <= 4; seq++) {
                expected.add(seq);
            }
            assertEquals(expected, frames.stream().map(Frame::id).toList(), "after " + after);
        }
        HttpResponse<InputStream> viaQuery = HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + RestAssured.port + "/api/v1/tasks/" + id + "/stream?after=3"))
                .header("X-API-Key", Api.KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(List.of("TASK_COMPLETED"), types(readFrames(viaQuery.body(), 10)));
    }

    @Test
    void liveStreamDeliversEventsAsTheyHappenThenEnds() throws Exception {
        String id = submit(Map.of("query", "live", "context", simulate(Map.of("delay_ms", 1500))));
        long start = System.nanoTime();
        List<Frame> frames = stream(id, null);
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "LLM_OUTPUT", "TASK_COMPLETED"), types(frames));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 1400, "stream waited for the task");
    }

    @Test
    void disconnectMidStreamThenResumeWhileRunning() throws Exception {
        String id = submit(Map.of("query", "interrupted", "context", simulate(Map.of("delay_ms", 2000))));
        HttpResponse<InputStream> first = HTTP.send(streamRequest(id, Api.KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<Frame> before = readFrames(first.body(), 2);
        first.body().close();
        assertEquals(List.of(1L, 2L), before.stream().map(Frame::id).toList());
        assertEquals("TASK_STATUS_RUNNING", Api.get(id).getString("status"));

        List<Frame> after = stream(id, "2");
        assertEquals(List.of("LLM_OUTPUT", "TASK_COMPLETED"), types(after));
        assertEquals(List.of(3L, 4L), after.stream().map(Frame::id).toList());
    }

    @Test
    void idleStreamGetsHeartbeats() throws Exception {
        String id = submit(Map.of("query", "quiet", "context", simulate(Map.of("delay_ms", 2500))));
        HttpResponse<InputStream> response = HTTP.send(streamRequest(id, Api.KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<Frame> frames = readFrames(response.body(), Integer.MAX_VALUE);
        assertTrue(frames.stream().anyMatch(f -> f.type().equals("comment") && f.data().equals(": heartbeat")
                || f.type().equals("comment") && f.data().contains("heartbeat")), frames.toString());
        assertEquals("TASK_COMPLETED", frames.get(frames.size() - 1).type());
    }

    @Test
    void otherTenantGets404BeforeAnyEvent() throws Exception {
        String id = submit(Map.of("query", "private"));
        HttpResponse<String> response = HTTP.send(streamRequest(id, Api.OTHER_TENANT_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, response.statusCode());
        assertEquals("{\"error\":\"Task not found\"}", response.body());
        as(Api.OTHER_TENANT_KEY).get("/api/v1/tasks/" + id + "/events").then().statusCode(404)
                .body(equalTo("{\"error\":\"Task not found\"}"));
        HttpResponse<String> noKey = HTTP.send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + RestAssured.port + "/api/v1/tasks/" + id + "/stream")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noKey.statusCode());
    }

    /** A task whose local model streams its answer in four pieces, after time to connect. */
    private static String streamingTask() {
        return submit(Map.of("query", "stream it", "context", simulate(Map.of("delay_ms", 1500, "chunk_delay_ms", 150,
                "result", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"))));
    }

    @Test
    void partialOutputStreamsLiveWhenAskedForAndIsNeverStored() throws Exception {
        String id = streamingTask();
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + RestAssured.port + "/api/v1/tasks/" + id + "/stream?include_partial=true"))
                .header("X-API-Key", Api.KEY).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<Frame> frames = readFrames(response.body(), Integer.MAX_VALUE).stream()
                .filter(f -> !f.type().equals("comment")).toList();

        List<Frame> partials = frames.stream().filter(f -> f.type().equals("LLM_PARTIAL")).toList();
        assertTrue(partials.size() >= 2, "the answer arrives in pieces: " + types(frames));
        assertTrue(partials.stream().allMatch(f -> f.id() == -1), "live pieces carry no id");
        Frame output = frames.stream().filter(f -> f.type().equals("LLM_OUTPUT")).findFirst().orElseThrow();
        assertTrue(frames.indexOf(partials.get(partials.size() - 1)) < frames.indexOf(output), "pieces come before the output");
        String streamed = partials.stream().map(f -> JsonPath.from(f.data()).getString("message")).reduce("", String::concat);
        assertEquals(JsonPath.from(output.data()).getString("message"), streamed);
        String call = JsonPath.from(output.data()).getString("payload.call");
        assertTrue(call != null && !call.isEmpty(), "LLM_OUTPUT names its call");
        assertTrue(partials.stream().allMatch(f -> call.equals(JsonPath.from(f.data()).getString("payload.call"))));
        assertEquals(0, JsonPath.from(partials.get(0).data()).getInt("seq"));

        List<Frame> stored = frames.stream().filter(f -> f.id() >= 0).toList();
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "LLM_OUTPUT", "TASK_COMPLETED"), types(stored));
        assertEquals(List.of(1L, 2L, 3L, 4L), stored.stream().map(Frame::id).toList());
        assertEquals(types(stream(id, null)), authed().get("/api/v1/tasks/" + id + "/events").jsonPath().getList("events.type"));
        assertEquals(4, authed().get("/api/v1/tasks/" + id + "/events").jsonPath().getList("events").size(),
                "pieces are not stored");
    }

    @Test
    void withoutIncludePartialNoPiecesAreSent() throws Exception {
        String id = streamingTask();
        assertEquals(List.of("TASK_QUEUED", "TASK_STARTED", "LLM_OUTPUT", "TASK_COMPLETED"), types(stream(id, null)));
        authed().queryParam("include_partial", "maybe").get("/api/v1/tasks/" + id + "/stream").then().statusCode(400)
                .body("error", equalTo("include_partial must be true or false"));
    }

    @Test
    void badPagingParameters() {
        String id = submit(Map.of("query", "q"));
        authed().queryParam("after", -1).get("/api/v1/tasks/" + id + "/events").then().statusCode(400)
                .body("error", equalTo("after must be a non-negative event seq"));
        authed().queryParam("after", "abc").get("/api/v1/tasks/" + id + "/events").then().statusCode(400)
                .body("error", equalTo("after must be an integer"));
        authed().queryParam("limit", 0).get("/api/v1/tasks/" + id + "/events").then().statusCode(400)
                .body("error", equalTo("limit must be between 1 and 1000"));
        authed().header("Last-Event-ID", "x").get("/api/v1/tasks/" + id + "/stream").then().statusCode(400)
                .body("error", equalTo("Last-Event-ID/after must be an integer"));
    }

    @Test
    void grpcStreamMatchesSse() throws Exception {
        String id = submit(Map.of("query", "parity", "context", simulate(Map.of("delay_ms", 500))));
        ManagedChannel channel = Grpc.open();
        try {
            var stub = Grpc.tasks(channel, Map.of("x-api-key", Api.KEY)).withDeadlineAfter(20, TimeUnit.SECONDS);
            List<String> grpcTypes = new ArrayList<>();
            List<Long> grpcSeqs = new ArrayList<>();
            stub.streamTaskEvents(StreamTaskEventsRequest.newBuilder().setTaskId(id).build())
                    .forEachRemaining(e -> {
                        grpcTypes.add(e.getType());
                        grpcSeqs.add(e.getSeq());
                    });
            List<Frame> sse = stream(id, null);
            assertEquals(types(sse), grpcTypes);
            assertEquals(sse.stream().map(Frame::id).toList(), grpcSeqs);

            List<String> resumed = new ArrayList<>();
            stub.streamTaskEvents(StreamTaskEventsRequest.newBuilder().setTaskId(id).setAfterSeq(2).build())
                    .forEachRemaining(e -> resumed.add(e.getType()));
            assertEquals(List.of("LLM_OUTPUT", "TASK_COMPLETED"), resumed);

            String streaming = streamingTask();
            StringBuilder pieces = new StringBuilder();
            List<String> liveTypes = new ArrayList<>();
            String[] output = {null};
            stub.streamTaskEvents(StreamTaskEventsRequest.newBuilder().setTaskId(streaming).setIncludePartial(true).build())
                    .forEachRemaining(e -> {
                        liveTypes.add(e.getType());
                        if (e.getType().equals("LLM_PARTIAL")) {
                            assertEquals(0, e.getSeq());
                            pieces.append(e.getMessage());
                        } else if (e.getType().equals("LLM_OUTPUT")) {
                            output[0] = e.getMessage();
                        }
                    });
            assertTrue(liveTypes.indexOf("LLM_PARTIAL") > 0 && liveTypes.lastIndexOf("LLM_PARTIAL") < liveTypes.indexOf("LLM_OUTPUT"),
                    "pieces between TASK_STARTED and LLM_OUTPUT: " + liveTypes);
            assertEquals(output[0], pieces.toString());

            var otherStub = Grpc.tasks(channel, Map.of("x-api-key", Api.OTHER_TENANT_KEY));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    otherStub.streamTaskEvents(StreamTaskEventsRequest.newBuilder().setTaskId(id).build()).hasNext());
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        } finally {
            Grpc.close(channel);
        }
    }
}
