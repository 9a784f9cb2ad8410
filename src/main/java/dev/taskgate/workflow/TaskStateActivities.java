package dev.taskgate.workflow;

import dev.taskgate.events.EventType;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.TaskOutcome;
import dev.taskgate.task.TaskStatus;
import io.temporal.activity.ActivityInterface;

import java.util.Map;

/**
 * The task row's side of a workflow: short PostgreSQL writes, each idempotent, run as local
 * activities and retried until the database answers.
 */
@ActivityInterface
public interface TaskStateActivities {

    /**
     * Records RUNNING (with TASK_STARTED) for a QUEUED task. True while the task is unfinished —
     * also when it was RUNNING already, as for a run started again — and false once it has ended
     * (e.g. cancelled before it started).
     */
    boolean markRunning(String taskId);

    /** The task's query, mode, model, session history and the agent's limits. */
    TaskInput loadInput(String taskId);

    /**
     * {@link #markRunning} and {@link #loadInput} in one step, with the task's status as it read
     * it; null once the task has ended. Runs recorded before this step existed call the two.
     */
    TaskStart start(String taskId);

    /**
     * Appends an event while the task is unfinished, once per {@code key}: a step that is
     * retried or replayed never writes its event twice.
     */
    void recordEvent(String taskId, String key, EventType type, String message, Map<String, Object> payload);

    /** Records a model call's usage and its LLM_OUTPUT event, once per call key. */
    void recordModelCall(String taskId, ModelReply reply);

    /** The task's status now; null when it no longer exists. */
    TaskStatus status(String taskId);

    /**
     * Records that a tool call waits for a decision, once per {@code key}, and pauses the task;
     * returns the approval's id, or null when the task has ended.
     */
    String requestApproval(String taskId, String key, ToolCall call);

    /** Where the approval stands now. */
    Decision decision(String approvalId);

    /** Records a terminal status; a terminal status already recorded is kept. */
    void finish(String taskId, TaskOutcome outcome);
}
