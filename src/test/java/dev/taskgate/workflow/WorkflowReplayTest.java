package dev.taskgate.workflow;

import dev.taskgate.task.Approval;
import dev.taskgate.task.TaskStatus;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
    @ValueSource(strings = {"simple-v1.json", "standard-v1.json", "complex-v1.json", "simple-v2.json", "standard-v2.json",
            "complex-v2.json", "standard-approval-v2.json", "simple-paused-v2.json", "simple-v3.json", "standard-v3.json",
            "complex-v3.json", "standard-approval-v3.json", "simple-paused-v3.json"})
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

        @Override
        public void taskChanged() {
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
                activities.mode = mode.getValue();
                record(client, directory, mode.getKey(), suffix, id -> { });
            }
            // a STANDARD task whose tool call waits for a decision, approved while it waits
            activities.mode = "STANDARD";
            activities.requireApproval = List.of("calculator");
            record(client, directory, "standard-approval", suffix, id -> {
                waitFor(activities.decisionReads);
                activities.decideAll(Approval.Status.APPROVED, null);
                client.newWorkflowStub(TaskWorkflow.class, id).taskChanged();
            });
            // a SIMPLE task paused before its model call, then resumed
            activities.mode = "SIMPLE";
            activities.requireApproval = List.of();
            activities.status = TaskStatus.PAUSED;
            record(client, directory, "simple-paused", suffix, id -> {
                waitFor(activities.statusReads);
                activities.status = TaskStatus.RUNNING;
                client.newWorkflowStub(TaskWorkflow.class, id).taskChanged();
            });
        }
    }

    /** Runs one task, with {@code meanwhile} done while it runs, and writes its history to a new file. */
    private static void record(WorkflowClient client, Path directory, String name, String suffix, Consumer<String> meanwhile)
            throws IOException {
        Path file = directory.resolve(name + "-" + suffix + ".json");
        if (Files.exists(file)) {
            throw new IllegalStateException(file + " exists; recorded histories are never overwritten");
        }
        String id = "task_replay_" + name;
        WorkflowClient.start(client.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(id)
                .setTaskQueue("record").build())::execute, new TaskRun(id, 30));
        meanwhile.accept(id);
        client.newUntypedWorkflowStub(id).getResult(Void.class);
        Files.writeString(file, client.fetchHistory(id).toJson(true));
    }

    /** Waits until the workflow has read {@code reads} once, and a moment more, so that it really waits. */
    private static void waitFor(AtomicInteger reads) {
        try {
            while (reads.get() == 0) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
