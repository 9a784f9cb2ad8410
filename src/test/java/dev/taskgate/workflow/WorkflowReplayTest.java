package dev.taskgate.workflow;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Safe upgrades: histories recorded by earlier builds (one per mode, under
 * {@code src/test/resources/workflow-histories/}) must replay on today's workflow code. A change
 * that makes a recorded history fail here would break the tasks in flight during a rolling
 * upgrade: put it behind {@code Workflow.getVersion} and record a new history next to the old ones.
 */
class WorkflowReplayTest {

    private static final String DIRECTORY = "workflow-histories/";

    @ParameterizedTest
    @ValueSource(strings = {"simple-v1.json", "standard-v1.json", "complex-v1.json"})
    void recordedHistoriesReplayOnTodaysCode(String history) throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(DIRECTORY + history, TaskWorkflowImpl.class);
    }

    /** The replay check is not vacuous: a workflow that runs its steps differently does not replay. */
    @Test
    void aChangedWorkflowDoesNotReplay() throws IOException {
        WorkflowExecutionHistory history;
        try (InputStream json = WorkflowReplayTest.class.getClassLoader().getResourceAsStream(DIRECTORY + "simple-v1.json")) {
            history = WorkflowExecutionHistory.fromJson(new String(json.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThrows(RuntimeException.class,
                () -> WorkflowReplayer.replayWorkflowExecution(history, LoadsBeforeMarkingRunning.class));
    }

    /** The same workflow type as {@link TaskWorkflowImpl}, with two of its first steps swapped. */
    public static class LoadsBeforeMarkingRunning implements TaskWorkflow {
        private final TaskStateActivities state = Workflow.newLocalActivityStub(TaskStateActivities.class,
                LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public void execute(TaskRun run) {
            state.loadInput(run.taskId());
            state.markRunning(run.taskId());
        }
    }

    /**
     * Records the history of one task per mode into {@code src/test/resources/workflow-histories/}
     * with {@code ./mvnw test -Dtest=WorkflowReplayTest -Dtaskgate.record-histories=<suffix>}, e.g.
     * {@code v2}: files are named {@code <mode>-<suffix>.json}, and an existing file is never
     * overwritten (a recorded history is a promise to the tasks in flight). Add the new names to
     * the list above.
     */
    @Test
    @EnabledIfSystemProperty(named = "taskgate.record-histories", matches = ".+")
    void recordHistories() throws IOException {
        String suffix = System.getProperty("taskgate.record-histories");
        Path directory = Path.of("src/test/resources", DIRECTORY);
        Files.createDirectories(directory);
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Worker worker = env.newWorker("record");
            worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
            ScriptedActivities activities = new ScriptedActivities();
            worker.registerActivitiesImplementations(activities);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            for (var mode : Map.of("simple", "SIMPLE", "standard", "STANDARD", "complex", "COMPLEX").entrySet()) {
                Path file = directory.resolve(mode.getKey() + "-" + suffix + ".json");
                if (Files.exists(file)) {
                    throw new IllegalStateException(file + " exists; recorded histories are never overwritten");
                }
                activities.mode = mode.getValue();
                String id = "task_replay_" + mode.getKey();
                client.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(id)
                        .setTaskQueue("record").build()).execute(new TaskRun(id, 30));
                Files.writeString(file, client.fetchHistory(id).toJson(true));
            }
        }
    }
}
