package dev.taskgate.ops;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.taskgate.support.Api.awaitStatus;
import static dev.taskgate.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With tracing on, the submit request's trace continues into the workflow and its activities. */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @Singleton
    static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void submitTraceContinuesIntoTheWorkflowAndActivities() throws InterruptedException {
        String id = submit(Map.of("query", "trace me"));
        awaitStatus(id, "TASK_STATUS_COMPLETED", Duration.ofSeconds(15));
        List<SpanData> finished = List.of();
        for (int i = 0; i < 50; i++) {
            finished = spans.getFinishedSpanItems();
            if (finished.stream().anyMatch(s -> s.getName().startsWith("RunActivity:Finish"))) {
                break;
            }
            Thread.sleep(100);
        }
        SpanData http = finished.stream().filter(s -> s.getName().contains("/api/v1/tasks")).findFirst()
                .orElseThrow(() -> new AssertionError("no HTTP span"));
        Set<String> sameTrace = finished.stream().filter(s -> s.getTraceId().equals(http.getTraceId()))
                .map(SpanData::getName).collect(Collectors.toSet());
        assertTrue(sameTrace.stream().anyMatch(n -> n.startsWith("StartWorkflow:")), sameTrace.toString());
        assertTrue(sameTrace.stream().anyMatch(n -> n.startsWith("RunWorkflow:")), sameTrace.toString());
        assertTrue(sameTrace.stream().anyMatch(n -> n.startsWith("RunActivity:CallModel")), sameTrace.toString());
        assertEquals(1, finished.stream().filter(s -> s.getName().startsWith("RunActivity:Finish")
                && s.getTraceId().equals(http.getTraceId())).count(), sameTrace.toString());
    }
}
