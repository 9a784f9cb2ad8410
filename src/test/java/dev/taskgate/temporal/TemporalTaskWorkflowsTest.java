package dev.taskgate.temporal;

import dev.taskgate.task.WorkflowState;
import dev.taskgate.workflow.TaskRun;
import dev.taskgate.workflow.TaskWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A workflow whose next workflow task is never started is reported lost only while workers poll
 * (here: no worker polls the queue the workflow waits on, as when its task went to a dead poller).
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
                () -> workerRunning);
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
}
