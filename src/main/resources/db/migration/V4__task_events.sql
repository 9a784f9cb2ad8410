-- Every meaningful step of a task, numbered per task from 1 without gaps.
ALTER TABLE tasks ADD COLUMN last_event_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE task_events (
    task_id     VARCHAR(64)  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq         BIGINT       NOT NULL,
    type        VARCHAR(32)  NOT NULL,
    message     TEXT         NOT NULL DEFAULT '',
    payload     JSONB,
    created_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (task_id, seq)
);
