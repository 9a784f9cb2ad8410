-- The workflow step that wrote an event (run id and step number). A step that is retried or
-- replayed finds its event already written, so it never appears twice.
ALTER TABLE task_events ADD COLUMN step_key VARCHAR(200);
CREATE UNIQUE INDEX task_events_step_key ON task_events (task_id, step_key) WHERE step_key IS NOT NULL;
