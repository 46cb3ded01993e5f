-- Inbound channels (docs/inbound.md#channels, decision 0018).
-- A mail read as "one main document with the rest as its attachments" keeps the other attachments with the receipt
-- of the main document; each is stored under the receipt's folder as 04-attachment-<seq>.
CREATE TABLE inbound_receipt_attachment (
    receipt_id   VARCHAR(36)   NOT NULL REFERENCES inbound_receipt (id),
    seq          INT           NOT NULL,
    file_name    VARCHAR(300)  NOT NULL,
    file_size    BIGINT        NOT NULL,
    file_hash    VARCHAR(64)   NOT NULL,
    storage_key  VARCHAR(600)  NOT NULL,
    PRIMARY KEY (receipt_id, seq)
);

-- Receipts a stopped hub left Received are found by status and age (InboundIntake.resumeInterrupted).
CREATE INDEX ix_inbound_receipt_status_updated ON inbound_receipt (status, updated_at);
