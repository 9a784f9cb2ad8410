package dev.taskgate.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.TaskgateException;
import dev.taskgate.idempotency.IdempotencyKeys;
import dev.taskgate.idempotency.IdempotencyRecord;
import dev.taskgate.llm.ModelChoice;
import dev.taskgate.llm.ProviderRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Submit: the task is committed as QUEUED — with its {@code Idempotency-Key}, if any, in the same
 * transaction, so concurrent requests with one key create one task — and then its workflow is
 * started. If Temporal cannot be reached the task stays QUEUED and the reconciler starts it later.
 */
@ApplicationScoped
public class SubmitTask {

    private static final Logger LOG = Logger.getLogger(SubmitTask.class);

    private final TaskTransitions transitions;
    private final TaskReads reads;
    private final TaskWorkflows workflows;
    private final IdempotencyKeys idempotency;
    private final ProviderRegistry providers;
    private final TaskMetrics metrics;
    private final TaskgateConfig.Tasks limits;
    private final ObjectMapper json;
    private final ToolCatalog tools;
    private final TenantSettings settings;
    private final TaskWebhooks webhooks;

    public SubmitTask(TaskTransitions transitions, TaskReads reads, TaskWorkflows workflows, IdempotencyKeys idempotency,
                      ProviderRegistry providers, TaskMetrics metrics, TaskgateConfig.Tasks limits, ObjectMapper json,
                      ToolCatalog tools, TenantSettings settings, TaskWebhooks webhooks) {
        this.webhooks = webhooks;
        this.tools = tools;
        this.settings = settings;
        this.transitions = transitions;
        this.reads = reads;
        this.workflows = workflows;
        this.idempotency = idempotency;
        this.providers = providers;
        this.metrics = metrics;
        this.limits = limits;
        this.json = json;
    }

    /**
     * Stores and starts a task. With an idempotency key, a repeat of the same request answers the
     * task the first one created (replayed), and another request with the key is UNPROCESSABLE.
     */
    public Replayable<TaskView> submit(String tenantId, SubmitCommand command, String idempotencyKey) {
        String key = IdempotencyKeys.validKey(idempotencyKey);
        // one transaction for the tenant's settings, the key and the row
        Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            Task created = newTask(tenantId, command);
            Optional<IdempotencyRecord> used = key == null ? Optional.empty()
                    : idempotency.claimDone(tenantId, key, "submit", command.fingerprint(), 202, created.id);
            if (used.isEmpty()) {
                transitions.insert(created);
            }
            return new Claim(created, used);
        });
        Task task = claim.task();
        Optional<IdempotencyRecord> earlier = claim.earlier();
        if (earlier.isPresent()) {
            LOG.debugf("task_id=%s submit replayed for an idempotency key", earlier.get().taskId());
            return new Replayable<>(reads.find(tenantId, earlier.get().taskId()), true);
        }
        metrics.submitted(task.mode);
        try {
            workflows.start(task.id, task.timeoutSeconds);
        } catch (RuntimeException e) {
            LOG.warnf("task_id=%s accepted but its workflow could not be started yet (%s); the reconciler will retry",
                    task.id, e.getClass().getSimpleName());
        }
        LOG.infof("task_id=%s submitted mode=%s tenant=%s provider=%s model=%s", task.id, task.mode, tenantId,
                task.llmProvider, Texts.forLog(task.llmModel));
        return new Replayable<>(TaskView.of(task, List.of()), false);
    }

    /** A new task, and the task an earlier request with the same idempotency key created, if any. */
    private record Claim(Task task, Optional<IdempotencyRecord> earlier) {
    }

    /** The row of a new task: the command within the configured bounds, with its provider and model chosen. */
    private Task newTask(String tenantId, SubmitCommand command) {
        Texts.requiredBytes("query", command.query(), limits.maxQueryBytes());
        Task task = new Task();
        task.id = Ids.newTask();
        task.tenantId = tenantId;
        task.status = TaskStatus.QUEUED;
        task.query = command.query();
        task.sessionId = command.sessionId() == null ? Ids.newSession() : command.sessionId();
        task.mode = command.mode();
        task.timeoutSeconds = bounded("timeout_seconds", command.timeoutSeconds(), limits.defaultTimeoutSeconds(),
                limits.maxTimeoutSeconds());
        task.approvalTimeoutSeconds = bounded("approval_timeout_seconds", command.approvalTimeoutSeconds(),
                limits.defaultApprovalTimeoutSeconds(), limits.maxApprovalTimeoutSeconds());
        task.requireApproval = ToolNames.format(command.requireApproval() == null
                ? settings.requireApproval(tenantId) : ToolNames.checked(command.requireApproval(), tools.names()));
        task.context = contextJson(command);
        task.webhookUrl = command.webhookUrl() == null ? null : webhooks.checkedUrl(command.webhookUrl());
        ModelChoice choice = providers.resolve(command.provider(), command.model(), command.modelTier());
        task.llmProvider = choice.provider();
        task.llmModel = choice.model();
        task.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        task.updatedAt = task.createdAt;
        task.error = "";
        return task;
    }

    private static int bounded(String field, Integer seconds, int byDefault, int max) {
        if (seconds == null) {
            return byDefault;
        }
        if (seconds < 1 || seconds > max) {
            throw TaskgateException.invalid(field + " must be between 1 and " + max);
        }
        return seconds;
    }

    private String contextJson(SubmitCommand command) {
        if (command.context() == null) {
            return null;
        }
        try {
            return json.writeValueAsString(command.context());
        } catch (JsonProcessingException e) {
            throw TaskgateException.invalid("context must be a JSON object");
        }
    }
}
