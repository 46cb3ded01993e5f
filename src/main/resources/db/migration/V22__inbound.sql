-- Inbound vendor invoices (docs/inbound.md, docs/decisions/0013-inbound-intake.md). A receipt is one file that
-- arrived on a channel (HTTP upload, SFTP, e-mail, Blob drop). Its original is stored before this row is written;
-- the row then follows it through detection, validation, conversion, routing and the ERP's acknowledgement.
CREATE TABLE inbound_receipt (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    channel           VARCHAR(30)   NOT NULL,
    source_reference  VARCHAR(1000) NOT NULL,
    file_name         VARCHAR(300),
    file_hash         VARCHAR(64)   NOT NULL,
    file_size         BIGINT        NOT NULL,
    -- SHA-256 of channel + source reference + file hash: the same file from the same place is taken once
    intake_key        VARCHAR(64)   NOT NULL,
    storage_prefix    VARCHAR(500)  NOT NULL,
    legal_entity      VARCHAR(100),
    detected_format   VARCHAR(60),
    format_detail     VARCHAR(500),
    status            VARCHAR(20)   NOT NULL,
    reason            VARCHAR(2000),
    seller_id         VARCHAR(200),
    invoice_number    VARCHAR(200),
    issue_date        VARCHAR(10),
    duplicate_of      VARCHAR(36),
    attempts          INT           NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    converted_at      TIMESTAMP WITH TIME ZONE,
    acknowledged_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_inbound_receipt_intake_key UNIQUE (intake_key)
);
CREATE INDEX ix_inbound_receipt_entity_status ON inbound_receipt (legal_entity, status, converted_at);
CREATE INDEX ix_inbound_receipt_hash ON inbound_receipt (file_hash);

-- What the ERP is offered, once per document: a claim by file hash and one by seller + invoice number + issue
-- date, taken in the transaction that marks the receipt Converted. A second receipt of the same document loses
-- the claim and becomes Duplicate, also under concurrency (primary key, on H2 and PostgreSQL alike).
CREATE TABLE inbound_document_claim (
    claim_key    VARCHAR(64)  NOT NULL PRIMARY KEY,
    kind         VARCHAR(10)  NOT NULL,
    receipt_id   VARCHAR(36)  NOT NULL REFERENCES inbound_receipt (id)
);

-- The receipt log, in the style of the submission log: each step, each finding with its rule id.
CREATE TABLE inbound_receipt_log (
    receipt_id   VARCHAR(36)   NOT NULL REFERENCES inbound_receipt (id),
    seq          INT           NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    step         VARCHAR(40)   NOT NULL,
    severity     VARCHAR(10)   NOT NULL,
    message      VARCHAR(4000) NOT NULL,
    rule_id      VARCHAR(200),
    location     VARCHAR(1000),
    PRIMARY KEY (receipt_id, seq)
);
