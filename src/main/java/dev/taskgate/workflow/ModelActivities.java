package dev.taskgate.workflow;

import io.temporal.activity.ActivityInterface;

/**
 * Model calls. They may take minutes, so they heartbeat while they wait: a dead worker's call is
 * retried elsewhere within the heartbeat timeout, and a cancelled or timed-out task's call is
 * aborted. They write nothing to PostgreSQL: the workflow records what they return.
 */
@ActivityInterface
public interface ModelActivities {

    /** Makes one model call. */
    ModelReply callModel(String taskId, ModelRequest request);

    /** Makes a planning call and parses its answer into at most {@code maxSubtasks} sub-tasks. */
    Plan planSubtasks(String taskId, ModelRequest request, int maxSubtasks);
}
