package dev.taskgate.workflow;

import dev.taskgate.events.EventType;
import dev.taskgate.llm.CallPurpose;
import dev.taskgate.llm.ChatMessage;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.Approval;
import dev.taskgate.task.TaskStatus;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;

import java.util.List;
import java.util.Map;

/**
 * The steps a mode is made of — model calls, a plan, tool runs — each run as an activity and
 * recorded in the task's event log exactly once. Event keys are the run id and a counter, both
 * deterministic workflow state: a retried or replayed step finds its event already written,
 * while a new run of a lost workflow records the steps it really runs again. Before every step
 * the task's status is read (the first step takes the one the run's start has just read): a
 * paused task waits there (see {@link Halts}), and a tool call that needs approval waits for its
 * decision.
 */
final class TaskSteps {

    private final String taskId;
    private final TaskInput input;
    private final TaskStateActivities state;
    private final ModelActivities model;
    private final ToolActivities tools;
    /** Null for runs recorded before tasks could pause: they take no step boundary checks. */
    private final Halts halts;
    private final String runId = Workflow.getInfo().getRunId();
    private int events;
    /** The status the run's start read (null: read it), used by the first step boundary instead of a new read. */
    private TaskStatus started;

    TaskSteps(String taskId, TaskInput input, TaskStatus started, TaskStateActivities state, ModelActivities model,
              ToolActivities tools, Halts halts) {
        this.taskId = taskId;
        this.input = input;
        this.started = started;
        this.state = state;
        this.model = model;
        this.tools = tools;
        this.halts = halts;
    }

    TaskInput input() {
        return input;
    }

    /** One model call, its usage and its LLM_OUTPUT recorded. */
    ChatResponse ask(List<ChatMessage> messages, List<String> toolNames, CallPurpose purpose) {
        boundary();
        ModelReply reply = model.callModel(taskId, ModelRequest.of(input, messages, toolNames, purpose));
        state.recordModelCall(taskId, reply);
        return reply.response();
    }

    /** The planning call of a COMPLEX task: the sub-tasks (parsed by the activity), or the query itself. */
    List<String> plan(List<ChatMessage> messages, int maxSubtasks) {
        boundary();
        Plan plan = model.planSubtasks(taskId, ModelRequest.of(input, messages, List.of(), CallPurpose.PLAN), maxSubtasks);
        state.recordModelCall(taskId, plan.reply());
        return plan.subtasks().isEmpty() ? List.of(input.query()) : plan.subtasks();
    }

    /** One sub-task of a COMPLEX task, between its SUBTASK_STARTED and SUBTASK_COMPLETED events. */
    String subtask(String subtask, List<ChatMessage> messages) {
        event(EventType.SUBTASK_STARTED, subtask, Map.of("model", input.model()));
        String result = ask(messages, List.of(), CallPurpose.SUBTASK).text();
        event(EventType.SUBTASK_COMPLETED, result, Map.of("subtask", subtask));
        return result;
    }

    /**
     * One tool call of the model, between its TOOL_INVOKED and TOOL_RESULT events. A call that
     * needs approval waits for its decision first; a refused call does not run, and the model is
     * told so, with the reviewer's feedback.
     */
    String runTool(ToolCall call) {
        if (halts != null && input.needsApproval(call.name())) {
            String approvalId = state.requestApproval(taskId, runId + "#" + ++events, call);
            if (approvalId == null) {
                throw new CanceledFailure("Task ended before its tool call was decided");
            }
            Decision decision = halts.until(() -> state.decision(approvalId), d -> d.status() != Approval.Status.PENDING,
                    "Task waited longer than its approval timeout of " + input.approvalTimeoutSeconds()
                            + " seconds for a decision on running " + call.name() + " (approval " + approvalId + ")");
            if (decision.status() == Approval.Status.EXPIRED) {
                throw new CanceledFailure("Task ended before its tool call was decided");
            }
            if (decision.status() == Approval.Status.REFUSED) {
                return ToolCall.refused(decision.feedback());
            }
        }
        boundary();
        event(EventType.TOOL_INVOKED, call.name(),
                Map.of("tool", call.name(), "arguments", call.arguments() == null ? "" : call.arguments()));
        String result = tools.runTool(new ToolRun(taskId, input.tenantId(), input.sessionId(), input.createdAt(), call));
        event(EventType.TOOL_RESULT, result, Map.of("tool", call.name()));
        return result;
    }

    /**
     * A step boundary: a paused task waits here until it is resumed; a task that has ended goes
     * no further.
     */
    private void boundary() {
        if (halts == null) {
            return;
        }
        TaskStatus now = started != null ? started : state.status(taskId);
        started = null;
        TaskStatus status = halts.until(now, () -> state.status(taskId), current -> current != TaskStatus.PAUSED,
                "Task stayed paused longer than its approval timeout of " + input.approvalTimeoutSeconds() + " seconds");
        if (status == null || status.isTerminal()) {
            throw new CanceledFailure("Task has ended");
        }
    }

    private void event(EventType type, String message, Map<String, Object> payload) {
        state.recordEvent(taskId, runId + "#" + ++events, type, message, payload);
    }
}
