-- Signed completion webhooks: a task's own webhook_url, a tenant's endpoints, and an outbox of
-- deliveries written in the same transaction as the event they announce.
ALTER TABLE tasks ADD COLUMN webhook_url TEXT;

-- A tenant's endpoints. Secrets are AES-GCM ciphertexts (see webhooks/SecretBox); the previous
-- secret signs too until previous_secret_expires_at, so a receiver can switch over without loss.
CREATE TABLE webhook_endpoints (
    id                          VARCHAR(64)  PRIMARY KEY,
    tenant_id                   VARCHAR(64)  NOT NULL,
    url                         TEXT         NOT NULL,
    -- event types (task.completed, ...), comma-separated
    event_types                 TEXT         NOT NULL,
    enabled                     BOOLEAN      NOT NULL DEFAULT true,
    disabled_reason             TEXT,
    secret                      BYTEA        NOT NULL,
    previous_secret             BYTEA,
    previous_secret_expires_at  TIMESTAMPTZ,
    created_at                  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id, created_at, id);

-- The secret that signs deliveries to the tasks' own webhook_url, one per tenant.
CREATE TABLE webhook_task_secrets (
    tenant_id                   VARCHAR(64)  PRIMARY KEY,
    secret                      BYTEA        NOT NULL,
    previous_secret             BYTEA,
    previous_secret_expires_at  TIMESTAMPTZ,
    rotated_at                  TIMESTAMPTZ  NOT NULL
);

-- One message to one URL; its id is the webhook-id header of every attempt. The body is fixed
-- at the first attempt, so every retry sends the same bytes.
CREATE TABLE webhook_deliveries (
    id               VARCHAR(64)  PRIMARY KEY,
    task_id          VARCHAR(64)  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    tenant_id        VARCHAR(64)  NOT NULL,
    -- true: the task's own webhook_url, signed with the tenant's task secret; false: an endpoint's
    for_task         BOOLEAN      NOT NULL,
    -- null for the task's own webhook_url, and once the endpoint was deleted
    endpoint_id      VARCHAR(64)  REFERENCES webhook_endpoints (id) ON DELETE SET NULL,
    url              TEXT         NOT NULL,
    event_type       VARCHAR(40)  NOT NULL,
    event_at         TIMESTAMPTZ  NOT NULL,
    body             TEXT,
    status           VARCHAR(16)  NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    -- attempts made before the latest resend: the retry schedule starts again from there
    retry_base       INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ  NOT NULL,
    CONSTRAINT webhook_deliveries_status_check CHECK (status IN ('PENDING','DELIVERED','FAILED','CANCELLED'))
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_task_idx ON webhook_deliveries (task_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id   VARCHAR(64)  NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       INTEGER      NOT NULL,
    attempted_at  TIMESTAMPTZ  NOT NULL,
    http_status   INTEGER,
    error         TEXT         NOT NULL,
    duration_ms   BIGINT       NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
