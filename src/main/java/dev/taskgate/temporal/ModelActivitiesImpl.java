package dev.taskgate.temporal;

import dev.taskgate.events.PartialOutput;
import dev.taskgate.llm.ChatProvider;
import dev.taskgate.llm.ChatRequest;
import dev.taskgate.llm.ChatResponse;
import dev.taskgate.llm.Plans;
import dev.taskgate.llm.Pricing;
import dev.taskgate.llm.ProviderException;
import dev.taskgate.llm.ProviderRegistry;
import dev.taskgate.task.TaskProgress;
import dev.taskgate.task.Texts;
import dev.taskgate.tools.ToolRegistry;
import dev.taskgate.workflow.Failures;
import dev.taskgate.workflow.ModelActivities;
import dev.taskgate.workflow.ModelReply;
import dev.taskgate.workflow.ModelRequest;
import dev.taskgate.workflow.Plan;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

import java.math.BigDecimal;

/**
 * Model calls on Temporal's activity threads. A call heartbeats while it runs ({@link Heartbeats})
 * and writes nothing to PostgreSQL: its answer goes back to the workflow, which records it. So a
 * failed database write never makes a provider be paid twice.
 */
@ApplicationScoped
@ActivateRequestContext
public class ModelActivitiesImpl implements ModelActivities {

    private static final Logger LOG = Logger.getLogger(ModelActivitiesImpl.class);

    private final TaskProgress progress;
    private final ProviderRegistry providers;
    private final Pricing pricing;
    private final ToolRegistry tools;
    private final PartialOutput partialOutput;
    private final Heartbeats heartbeats;

    public ModelActivitiesImpl(TaskProgress progress, ProviderRegistry providers, Pricing pricing, ToolRegistry tools,
                               PartialOutput partialOutput, Heartbeats heartbeats) {
        this.progress = progress;
        this.providers = providers;
        this.pricing = pricing;
        this.tools = tools;
        this.partialOutput = partialOutput;
        this.heartbeats = heartbeats;
    }

    @Override
    public ModelReply callModel(String taskId, ModelRequest request) {
        ActivityExecutionContext activity = Activity.getExecutionContext();
        try {
            return call(taskId, request, activity);
        } catch (Heartbeats.Gone gone) {
            LOG.debugf("task_id=%s model call aborted: the task has ended", taskId);
            activity.doNotCompleteOnReturn();  // the workflow has moved on: there is no one to report to
            return null;
        }
    }

    private ModelReply call(String taskId, ModelRequest request, ActivityExecutionContext activity) {
        stopIfEnded(taskId);
        String callKey = callKey(activity.getInfo());
        ChatResponse response;
        try (PartialOutput.Writer partials = partialOutput.open(taskId, callKey)) {
            ChatProvider provider = providers.get(request.provider());
            ChatRequest chat = new ChatRequest(request.model(), request.messages(), tools.specs(request.tools()),
                    request.purpose(), request.context());
            response = heartbeats.during(activity, () -> provider.chat(chat, partials));
        } catch (ProviderException e) {
            LOG.infof("task_id=%s provider=%s model=%s call failed (retryable=%s): %s", taskId, request.provider(),
                    Texts.forLog(request.model()), e.retryable(), Texts.forLog(e.getMessage()));
            throw expected(e.getMessage(), e.retryable() ? Failures.PROVIDER_UNAVAILABLE : Failures.PROVIDER_ERROR,
                    e.retryable());
        }
        BigDecimal cost = pricing.cost(request.model(), response.model(), response.inputTokens(), response.outputTokens());
        LOG.debugf("task_id=%s %s call provider=%s model=%s in=%d out=%d cost=%s", taskId, request.purpose(),
                response.provider(), response.model(), response.inputTokens(), response.outputTokens(), cost);
        return new ModelReply(callKey, request.purpose(), response, cost);
    }

    @Override
    public Plan planSubtasks(String taskId, ModelRequest request, int maxSubtasks) {
        ModelReply reply = callModel(taskId, request);
        return reply == null ? null : new Plan(Plans.parse(reply.response().text(), Math.max(1, maxSubtasks)), reply);
    }

    /** A failure the task expects (its message is the task's error): logged by Temporal only at debug level. */
    private static ApplicationFailure expected(String message, String type, boolean retryable) {
        return ApplicationFailure.newBuilder().setMessage(message).setType(type).setNonRetryable(!retryable)
                .setCategory(ApplicationErrorCategory.BENIGN).build();
    }

    /**
     * A task that has already ended — cancelled while Temporal could not be told, say — gets no
     * more model calls. If the database cannot say, the call goes ahead: the workflow still
     * learns of a cancel through Temporal.
     */
    private void stopIfEnded(String taskId) {
        boolean ended;
        try {
            ended = progress.hasEnded(taskId);
        } catch (RuntimeException databaseUnavailable) {
            return;
        }
        if (ended) {
            throw expected("Task has already ended", Failures.TASK_ENDED, false);
        }
    }

    /** Tells calls and their attempts apart, also across runs of one task. */
    private static String callKey(ActivityInfo info) {
        return info.getRunId() + "/" + info.getActivityId() + "#" + info.getAttempt();
    }
}
