package dev.taskgate.temporal;

import dev.taskgate.task.WorkflowState;
import dev.taskgate.workflow.TaskRun;
import dev.taskgate.workflow.TaskWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A workflow whose next workflow task is never started is reported lost only while workers poll
 * (here: no worker polls the queue the workflow waits on, as when its task went to a dead poller).
 * A request's call to an unreachable Temporal gives up after the call timeout.
 */
class TemporalTaskWorkflowsTest {

    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        env.start();
        client = env.getWorkflowClient();
        WorkflowClient.start(client.newWorkflowStub(TaskWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("stalled").setTaskQueue("nobody-polls-this").build())::execute, new TaskRun("stalled", 60));
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private TemporalTaskWorkflows workflows(boolean workerRunning) {
        return new TemporalTaskWorkflows(client, "taskgate-tasks", Duration.ofSeconds(10), Duration.ofMillis(300),
                Duration.ofSeconds(5), () -> workerRunning);
    }

    @Test
    void aWorkflowTaskScheduledTooLongWhileWorkersPollIsLost() throws InterruptedException {
        assertEquals(WorkflowState.RUNNING, workflows(true).describe("stalled"), "not yet past the threshold");
        Thread.sleep(500);
        assertEquals(WorkflowState.WORKFLOW_TASK_LOST, workflows(true).describe("stalled"));
    }

    @Test
    void withoutAnyWorkerAWaitingWorkflowIsJustWaiting() throws InterruptedException {
        Thread.sleep(500);
        assertEquals(WorkflowState.RUNNING, workflows(false).describe("stalled"));
    }

    @Test
    void anUnknownWorkflowIsNotFound() {
        assertEquals(WorkflowState.NOT_FOUND, workflows(true).describe("task_unknown"));
    }

    @Test
    void aRequestsCallToAnUnreachableTemporalGivesUpAfterTheCallTimeout() {
        // nothing listens on port 1; the SDK alone would retry for a minute
        var unreachable = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:1").build());
        try {
            var workflows = new TemporalTaskWorkflows(WorkflowClient.newInstance(unreachable), "taskgate-tasks",
                    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(500), () -> true);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThrows(RuntimeException.class, () -> workflows.start("task_down", 60));
                assertThrows(RuntimeException.class, () -> workflows.cancel("task_down", "by user"));
                assertThrows(RuntimeException.class, () -> workflows.wake("task_down"));
            });
        } finally {
            unreachable.shutdownNow();
        }
    }
}
