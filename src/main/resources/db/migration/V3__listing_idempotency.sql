-- Listing and sessions: a tenant's tasks by session, newest first (keyset paging on created_at, id).
CREATE INDEX tasks_tenant_session_created_idx ON tasks (tenant_id, session_id, created_at DESC, id DESC);

-- Idempotency-Key: one row per (tenant, key). The primary key is what makes concurrent
-- requests with one key create exactly one task.
CREATE TABLE idempotency_keys (
    tenant_id     VARCHAR(64)   NOT NULL,
    idem_key      VARCHAR(255)  NOT NULL,
    operation     VARCHAR(100)  NOT NULL,              -- e.g. submit, cancel:<task id>
    request_hash  CHAR(64)      NOT NULL,              -- SHA-256 of the canonical request, hex
    state         VARCHAR(16)   NOT NULL,              -- pending | done
    status_code   INTEGER,
    task_id       VARCHAR(64),
    response      TEXT,                                -- recorded answer (JSON) where the task alone is not enough
    created_at    TIMESTAMPTZ   NOT NULL,
    expires_at    TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (tenant_id, idem_key),
    CONSTRAINT idempotency_keys_state_check CHECK (state IN ('pending', 'done'))
);

CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
