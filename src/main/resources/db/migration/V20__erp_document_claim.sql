-- One claim per legal entity + ERP document id, taken in the transaction that inserts the document's first
-- submission: of two concurrent requests with different content under one ERP id (without newVersion) only one
-- can commit; the other is refused with 409 Document already submitted. Corrections (context.newVersion) take no
-- claim. Existing ids are claimed by one of their submissions.
CREATE TABLE erp_document_claim (
    legal_entity     VARCHAR(100)  NOT NULL,
    erp_document_id  VARCHAR(200)  NOT NULL,
    submission_id    VARCHAR(36)   NOT NULL,
    PRIMARY KEY (legal_entity, erp_document_id)
);
INSERT INTO erp_document_claim (legal_entity, erp_document_id, submission_id)
    SELECT legal_entity, erp_document_id, MIN(id) FROM submission GROUP BY legal_entity, erp_document_id;
