package dev.taskgate.workflow;

import io.temporal.activity.ActivityInterface;

/** Tool runs; problems with a call come back as text for the model. */
@ActivityInterface
public interface ToolActivities {

    String runTool(ToolRun run);
}
