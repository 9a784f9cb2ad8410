package dev.taskgate.temporal;

import dev.taskgate.tools.ToolContext;
import dev.taskgate.tools.ToolRegistry;
import dev.taskgate.workflow.ToolActivities;
import dev.taskgate.workflow.ToolRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

/** Tool runs on Temporal's activity threads; each gets its own CDI request context. */
@ApplicationScoped
@ActivateRequestContext
public class ToolActivitiesImpl implements ToolActivities {

    private static final Logger LOG = Logger.getLogger(ToolActivitiesImpl.class);

    private final ToolRegistry tools;

    public ToolActivitiesImpl(ToolRegistry tools) {
        this.tools = tools;
    }

    @Override
    public String runTool(ToolRun run) {
        String result = tools.run(new ToolContext(run.taskId(), run.tenantId(), run.sessionId(), run.taskCreatedAt()),
                run.call());
        LOG.debugf("task_id=%s tool=%s ran", run.taskId(), run.call().name());
        return result;
    }
}
