-- Intakes under way: written before a submission's input files are stored, removed in the transaction that
-- inserts the submission row. An entry that outlives its request (crash, failed insert) names files that no
-- row refers to; the intake sweep removes them (docs/decisions/0007-intake-no-file-without-a-row.md).
CREATE TABLE intake_pending (
    storage_prefix  VARCHAR(500)  NOT NULL PRIMARY KEY,
    node            VARCHAR(100)  NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_intake_pending_started ON intake_pending (node, started_at);
