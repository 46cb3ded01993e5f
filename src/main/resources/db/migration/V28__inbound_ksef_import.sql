-- KSeF import channel (docs/inbound.md, decision 0021): per legal entity and KSeF context, how far the purchase
-- invoices have been taken, as KSeF's permanent-storage date. Each invoice is a receipt of its own (channel ksef,
-- source = environment + KSeF number), so an invoice fetched again after a crash is the same receipt; the cursor
-- only saves re-reading.
CREATE TABLE inbound_ksef_import_cursor (
    legal_entity   VARCHAR(100)  NOT NULL,
    nip            VARCHAR(10)   NOT NULL,
    environment    VARCHAR(200)  NOT NULL,
    stored_until   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (legal_entity, nip, environment)
);
