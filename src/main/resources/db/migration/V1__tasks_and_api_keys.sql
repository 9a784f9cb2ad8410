CREATE TABLE api_keys (
    key_hash    CHAR(64)     PRIMARY KEY,          -- SHA-256 of the key, hex
    tenant_id   VARCHAR(64)  NOT NULL,
    key_prefix  VARCHAR(16)  NOT NULL,             -- first characters, for operators only
    source      VARCHAR(16)  NOT NULL,             -- config | admin
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);

CREATE TABLE tasks (
    id               VARCHAR(64)   PRIMARY KEY,
    tenant_id        VARCHAR(64)   NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    mode             VARCHAR(16)   NOT NULL,
    query            TEXT          NOT NULL,
    session_id       VARCHAR(128)  NOT NULL,
    context          TEXT,                          -- JSON object
    timeout_seconds  INTEGER       NOT NULL,
    result           TEXT,
    error            TEXT          NOT NULL DEFAULT '',
    cancel_reason    TEXT,
    model_used       VARCHAR(128),
    provider         VARCHAR(64),
    input_tokens     BIGINT,
    output_tokens    BIGINT,
    estimated_cost   NUMERIC(18, 8),
    created_at       TIMESTAMPTZ   NOT NULL,
    updated_at       TIMESTAMPTZ   NOT NULL,
    CONSTRAINT tasks_status_check CHECK (status IN ('QUEUED','RUNNING','COMPLETED','FAILED','CANCELLED','TIMEOUT')),
    CONSTRAINT tasks_mode_check CHECK (mode IN ('SIMPLE','STANDARD','COMPLEX'))
);

CREATE INDEX tasks_tenant_created_idx ON tasks (tenant_id, created_at DESC, id DESC);
CREATE INDEX tasks_unfinished_idx ON tasks (updated_at) WHERE status IN ('QUEUED', 'RUNNING');
