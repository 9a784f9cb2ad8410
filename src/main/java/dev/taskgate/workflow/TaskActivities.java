package dev.taskgate.workflow;

import dev.taskgate.task.TaskOutcome;
import io.temporal.activity.ActivityInterface;

/** The I/O a task workflow performs: task-row updates and model calls. */
@ActivityInterface
public interface TaskActivities {

    /** Records RUNNING; false when the task is no longer QUEUED (e.g. cancelled before it started). */
    boolean markRunning(String taskId);

    /** Calls the model for the task and records the call's usage. */
    ModelAnswer callModel(String taskId);

    /** Records a terminal status; terminal statuses already recorded are kept. */
    void finish(String taskId, TaskOutcome outcome);
}
