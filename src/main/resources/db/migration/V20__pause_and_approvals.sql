-- Pause, resume and approvals. A task is PAUSED while its tenant asked it to pause or one of its
-- tool calls waits for a decision; the workflow stops at its next step boundary and waits.
ALTER TABLE tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('QUEUED','RUNNING','PAUSED','COMPLETED','FAILED','CANCELLED','TIMEOUT'));
DROP INDEX tasks_unfinished_idx;
CREATE INDEX tasks_unfinished_idx ON tasks (updated_at) WHERE status IN ('QUEUED', 'RUNNING', 'PAUSED');

ALTER TABLE tasks
    ADD COLUMN pause_requested           BOOLEAN      NOT NULL DEFAULT false,
    ADD COLUMN pause_reason              TEXT,
    ADD COLUMN paused_at                 TIMESTAMPTZ,
    -- paused time of earlier pauses, which does not count toward timeout_seconds
    ADD COLUMN paused_millis             BIGINT       NOT NULL DEFAULT 0,
    -- tool names (or "*") whose calls wait for a decision, comma-separated; null: none
    ADD COLUMN require_approval          TEXT,
    ADD COLUMN approval_timeout_seconds  INTEGER;

CREATE TABLE approvals (
    id            VARCHAR(64)  PRIMARY KEY,
    task_id       VARCHAR(64)  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    tenant_id     VARCHAR(64)  NOT NULL,
    -- the workflow step that asked: a retried or replayed step finds its approval already there
    step_key      VARCHAR(200) NOT NULL,
    tool          VARCHAR(128) NOT NULL,
    arguments     TEXT         NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    feedback      TEXT,
    requested_at  TIMESTAMPTZ  NOT NULL,
    decided_at    TIMESTAMPTZ,
    CONSTRAINT approvals_status_check CHECK (status IN ('PENDING','APPROVED','REFUSED','EXPIRED')),
    CONSTRAINT approvals_step_key UNIQUE (task_id, step_key)
);
CREATE INDEX approvals_tenant_idx ON approvals (tenant_id, status, requested_at, id);
CREATE INDEX approvals_task_idx ON approvals (task_id) WHERE status = 'PENDING';

-- A tenant's defaults for new tasks.
CREATE TABLE tenant_settings (
    tenant_id         VARCHAR(64)  PRIMARY KEY,
    require_approval  TEXT         NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL
);
