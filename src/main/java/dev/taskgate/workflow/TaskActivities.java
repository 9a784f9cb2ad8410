package dev.taskgate.workflow;

import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.ToolCall;
import dev.taskgate.task.TaskOutcome;
import io.temporal.activity.ActivityInterface;

/** The I/O a task workflow performs: task-row reads and updates, model calls and tool runs. */
@ActivityInterface
public interface TaskActivities {

    /** Records RUNNING; false when the task is no longer QUEUED (e.g. cancelled before it started). */
    boolean markRunning(String taskId);

    /** The task's query, mode, model, session history and the agent's limits. */
    TaskInput load(String taskId);

    /** Makes one model call and records it (provider, model, tokens, cost) against the task. */
    ChatResponse callModel(String taskId, ModelRequest request);

    /** Runs one tool call of the model; problems with the call come back as text for the model. */
    String runTool(String taskId, ToolCall call);

    /** Records a terminal status; terminal statuses already recorded are kept. */
    void finish(String taskId, TaskOutcome outcome);
}
