package dev.taskgate.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's capacity settings: defaults, values from the environment, and counts below 1 refused by name. */
class WorkerCapacityConfigTest {

    private static SmallRyeConfig config(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withMapping(TaskgateConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300))
                .build();
    }

    @Test
    void defaultsBoundTheWorkersThreads() {
        TaskgateConfig.Temporal temporal = config(Map.of()).getConfigMapping(TaskgateConfig.class).temporal();
        assertEquals(100, temporal.cachedWorkflows());
        assertEquals(8, temporal.concurrentWorkflowTasks());
        assertEquals(100, temporal.concurrentActivities());
        assertEquals(5, temporal.pollers());
    }

    @Test
    void valuesFromTheEnvironment() {
        TaskgateConfig.Temporal temporal = config(Map.of(
                "TASKGATE_TEMPORAL_CACHED_WORKFLOWS", "250",
                "TASKGATE_TEMPORAL_CONCURRENT_WORKFLOW_TASKS", " 4 ",
                "TASKGATE_TEMPORAL_CONCURRENT_ACTIVITIES", "400")).getConfigMapping(TaskgateConfig.class).temporal();
        assertEquals(250, temporal.cachedWorkflows());
        assertEquals(4, temporal.concurrentWorkflowTasks());
        assertEquals(400, temporal.concurrentActivities());
    }

    @Test
    void aCountBelowOneOrNotANumberIsRefusedByName() {
        for (var bad : Map.of("TASKGATE_TEMPORAL_CACHED_WORKFLOWS", "0",
                "TASKGATE_TEMPORAL_CONCURRENT_WORKFLOW_TASKS", "-2",
                "TASKGATE_TEMPORAL_CONCURRENT_ACTIVITIES", "many",
                "TASKGATE_TEMPORAL_POLLERS", "0").entrySet()) {
            var failure = assertThrows(ConfigValidationException.class, () -> config(Map.of(bad.getKey(), bad.getValue())));
            String property = bad.getKey().toLowerCase().replace("taskgate_temporal_", "taskgate.temporal.").replace('_', '-');
            assertTrue(failure.getMessage().contains(property), failure.getMessage());
            assertTrue(failure.getMessage().contains("(it must be"), failure.getMessage());
        }
    }
}
