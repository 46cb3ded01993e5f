-- The callback endpoint (wait-for-callback, POST /api/v1/callbacks/{correlationKey}): which step registered
-- the key, what the notification's content type was, and when the run took it (so a later wait is not woken by it).
ALTER TABLE run_callback ADD COLUMN step_name VARCHAR(200);
ALTER TABLE run_callback ADD COLUMN content_type VARCHAR(200);
ALTER TABLE run_callback ADD COLUMN consumed_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_run_callback_run ON run_callback (submission_id, run_no);
