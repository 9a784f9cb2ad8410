-- The provider and model chosen at submit time (model_used/provider name the model that answered).
ALTER TABLE tasks ADD COLUMN llm_provider VARCHAR(64);
ALTER TABLE tasks ADD COLUMN llm_model    VARCHAR(128);

-- Costs are exact sums of per-call costs: USD, up to 12 decimal places.
ALTER TABLE tasks ALTER COLUMN estimated_cost TYPE NUMERIC(24, 12);

-- One row per model call. call_key (activity id and attempt) makes recording idempotent when the
-- recording itself is repeated; the task's input_tokens/output_tokens/estimated_cost are the sums
-- of its rows, updated in the same transaction as each insert.
CREATE TABLE model_calls (
    id             BIGSERIAL      PRIMARY KEY,
    task_id        VARCHAR(64)    NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    call_key       VARCHAR(200)   NOT NULL,
    purpose        VARCHAR(16)    NOT NULL,
    provider       VARCHAR(64)    NOT NULL,
    model          VARCHAR(128)   NOT NULL,
    input_tokens   BIGINT         NOT NULL,
    output_tokens  BIGINT         NOT NULL,
    cost           NUMERIC(24, 12) NOT NULL,
    created_at     TIMESTAMPTZ    NOT NULL DEFAULT now(),
    CONSTRAINT model_calls_task_call_key UNIQUE (task_id, call_key)
);

