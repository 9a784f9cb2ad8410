package dev.taskgate.grpc;

import dev.taskgate.proto.v1.Approval;
import dev.taskgate.proto.v1.ApprovalStatus;
import dev.taskgate.proto.v1.DecideApprovalRequest;
import dev.taskgate.proto.v1.ExecutionMode;
import dev.taskgate.proto.v1.GetSettingsRequest;
import dev.taskgate.proto.v1.GetTaskRequest;
import dev.taskgate.proto.v1.ListApprovalsRequest;
import dev.taskgate.proto.v1.PauseTaskRequest;
import dev.taskgate.proto.v1.ResumeTaskRequest;
import dev.taskgate.proto.v1.SubmitTaskRequest;
import dev.taskgate.proto.v1.Task;
import dev.taskgate.proto.v1.TaskServiceGrpc;
import dev.taskgate.proto.v1.TaskStatus;
import dev.taskgate.proto.v1.ToolList;
import dev.taskgate.proto.v1.WaitTaskRequest;
import dev.taskgate.support.Api;
import dev.taskgate.support.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pause, resume and approvals through the gRPC TaskService, with the same rules as REST. */
@QuarkusTest
class GrpcPauseAndApprovalTest {

    private ManagedChannel channel;
    private TaskServiceGrpc.TaskServiceBlockingStub tasks;
    private TaskServiceGrpc.TaskServiceBlockingStub otherTenant;

    @BeforeEach
    void connect() {
        channel = Grpc.open();
        tasks = Grpc.tasks(channel, Map.of("x-api-key", Api.KEY));
        otherTenant = Grpc.tasks(channel, Map.of("x-api-key", Api.OTHER_TENANT_KEY));
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        Grpc.close(channel);
    }

    /** Waits (long polls) until the task leaves {@code known}. */
    private Task next(String id, TaskStatus known) {
        return tasks.waitTask(WaitTaskRequest.newBuilder().setTaskId(id).setKnownStatus(known).setWaitSeconds(20).build());
    }

    private Task pausedForApproval() {
        Task task = tasks.submitTask(SubmitTaskRequest.newBuilder().setQuery("What is 6 * 7?")
                .setMode(ExecutionMode.EXECUTION_MODE_STANDARD)
                .setRequireApproval(ToolList.newBuilder().addTools("calculator")).build());
        Task current = task;
        while (current.getStatus() != TaskStatus.TASK_STATUS_PAUSED) {
            assertTrue(current.getStatus().getNumber() < TaskStatus.TASK_STATUS_COMPLETED_VALUE, current.toString());
            current = next(task.getTaskId(), current.getStatus());
        }
        return current;
    }

    @Test
    void anApprovalIsDecidedOnceAndTheTaskCompletes() {
        Task paused = pausedForApproval();
        assertEquals(List.of("calculator"), paused.getRequireApprovalList());
        Approval pending = paused.getPause().getPendingApprovals(0);
        assertEquals("calculator", pending.getTool());
        assertTrue(tasks.listApprovals(ListApprovalsRequest.newBuilder().setStatus(ApprovalStatus.APPROVAL_STATUS_PENDING)
                .setTaskId(paused.getTaskId()).build()).getApprovalsList().contains(pending));

        DecideApprovalRequest approve = DecideApprovalRequest.newBuilder().setTaskId(paused.getTaskId())
                .setApprovalId(pending.getApprovalId()).setApproved(true).build();
        StatusRuntimeException stranger = assertThrows(StatusRuntimeException.class, () -> otherTenant.decideApproval(approve));
        assertEquals(Status.Code.NOT_FOUND, stranger.getStatus().getCode());

        assertEquals(ApprovalStatus.APPROVAL_STATUS_APPROVED, tasks.decideApproval(approve).getStatus());
        StatusRuntimeException twice = assertThrows(StatusRuntimeException.class, () -> tasks.decideApproval(approve));
        assertEquals(Status.Code.FAILED_PRECONDITION, twice.getStatus().getCode());

        Task done = next(paused.getTaskId(), TaskStatus.TASK_STATUS_PAUSED);
        while (done.getStatus() == TaskStatus.TASK_STATUS_RUNNING) {
            done = next(paused.getTaskId(), TaskStatus.TASK_STATUS_RUNNING);
        }
        assertEquals(TaskStatus.TASK_STATUS_COMPLETED, done.getStatus());
        assertTrue(done.getResult().contains("6 * 7 = 42"), done.getResult());
    }

    @Test
    void pauseResumeAndTheirErrors() {
        Task paused = pausedForApproval();
        String id = paused.getTaskId();
        Task byRequest = tasks.pauseTask(PauseTaskRequest.newBuilder().setTaskId(id).setReason("hold on").build());
        assertEquals("hold on", byRequest.getPause().getReason());
        // resuming lifts the pause request; the task still waits for its approval
        Task resumed = tasks.resumeTask(ResumeTaskRequest.newBuilder().setTaskId(id).build());
        assertEquals(TaskStatus.TASK_STATUS_PAUSED, resumed.getStatus());
        assertEquals("Waiting for approval to run calculator", resumed.getPause().getReason());

        StatusRuntimeException stranger = assertThrows(StatusRuntimeException.class,
                () -> otherTenant.pauseTask(PauseTaskRequest.newBuilder().setTaskId(id).build()));
        assertEquals(Status.Code.NOT_FOUND, stranger.getStatus().getCode());
        StatusRuntimeException noDecision = assertThrows(StatusRuntimeException.class, () -> tasks.decideApproval(
                DecideApprovalRequest.newBuilder().setTaskId(id).setApprovalId(paused.getPause().getPendingApprovals(0)
                        .getApprovalId()).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noDecision.getStatus().getCode());
        assertEquals("approved is required: true or false", noDecision.getStatus().getDescription());

        tasks.cancelTask(dev.taskgate.proto.v1.CancelTaskRequest.newBuilder().setTaskId(id).build());
        StatusRuntimeException ended = assertThrows(StatusRuntimeException.class,
                () -> tasks.resumeTask(ResumeTaskRequest.newBuilder().setTaskId(id).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, ended.getStatus().getCode());
        assertEquals(TaskStatus.TASK_STATUS_CANCELLED,
                tasks.getTask(GetTaskRequest.newBuilder().setTaskId(id).build()).getStatus());
        assertEquals(List.of(), tasks.getSettings(GetSettingsRequest.getDefaultInstance()).getRequireApprovalList());
    }
}
