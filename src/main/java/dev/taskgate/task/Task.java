package dev.taskgate.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** One submitted task; the row is the source of truth for everything a client reads. */
@Entity
@Table(name = "tasks")
public class Task extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TaskStatus status;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ExecutionMode mode;

    @Column(nullable = false)
    public String query;

    @Column(name = "session_id", nullable = false)
    public String sessionId;

    /** The submitted {@code context} object as JSON text, or null. */
    public String context;

    @Column(name = "timeout_seconds", nullable = false)
    public int timeoutSeconds;

    public String result;

    @Column(nullable = false)
    public String error = "";

    /** The provider chosen at submit time. */
    @Column(name = "llm_provider")
    public String llmProvider;

    /** The model chosen at submit time. */
    @Column(name = "llm_model")
    public String llmModel;

    /** The model that produced the answer (or, until then, the model last called). */
    @Column(name = "model_used")
    public String modelUsed;

    public String provider;

    @Column(name = "input_tokens")
    public Long inputTokens;

    @Column(name = "output_tokens")
    public Long outputTokens;

    @Column(name = "estimated_cost")
    public BigDecimal estimatedCost;

    /** Whether the tenant asked the task to pause (it is PAUSED then, or about to be). */
    @Column(name = "pause_requested", nullable = false)
    public boolean pauseRequested;

    /** The reason given with the pause request, or null. */
    @Column(name = "pause_reason")
    public String pauseReason;

    /** Since when the task is PAUSED; null while it is not. */
    @Column(name = "paused_at")
    public Instant pausedAt;

    /** Time spent in earlier pauses, which does not count toward the timeout. */
    @Column(name = "paused_millis", nullable = false)
    public long pausedMillis;

    /** Tool names (or "*") whose calls wait for a decision, comma-separated; null: none. */
    @Column(name = "require_approval")
    public String requireApproval;

    /** The longest the task waits for a decision or a resume, in seconds. */
    @Column(name = "approval_timeout_seconds")
    public Integer approvalTimeoutSeconds;

    /** Where the task's webhook events go besides its tenant's endpoints; null: nowhere else. */
    @Column(name = "webhook_url")
    public String webhookUrl;

    /** Seq of the task's latest event; see {@code events.EventLog}. */
    @Column(name = "last_event_seq", nullable = false)
    public long lastEventSeq;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean hasUsage() {
        return inputTokens != null || outputTokens != null;
    }
}
