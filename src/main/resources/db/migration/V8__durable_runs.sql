-- Durable, resumable runs (docs/decisions/0008): the checkpoint of each run, and the timer of a Pending run.

-- when a Pending run is next looked at (poll schedule, callback time-out); NULL for other statuses
ALTER TABLE submission ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_submission_pending_due ON submission (status, next_attempt_at);

-- what a run has done so far: completed steps in order, variables, the current document, counts, verdict.
-- Written after every step, in the same transaction as the owner check; a resumed run starts from it.
CREATE TABLE submission_run (
    submission_id  VARCHAR(36)     NOT NULL REFERENCES submission (id),
    run_no         INT             NOT NULL,
    state          VARCHAR(1000000) NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (submission_id, run_no)
);

-- a callback from an authority names its run by a correlation key the run registered while Pending
CREATE TABLE run_callback (
    correlation_key VARCHAR(200) NOT NULL PRIMARY KEY,
    submission_id   VARCHAR(36)  NOT NULL REFERENCES submission (id),
    run_no          INT          NOT NULL,
    payload         VARCHAR(1000000),
    received_at     TIMESTAMP WITH TIME ZONE
);
