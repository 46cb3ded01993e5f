package io.einvoicinghub.submission;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which submission first took a legal entity's ERP document id. The claim's primary key makes "is this ERP id
 * new?" atomic: checking for an earlier submission and then inserting is not, and two concurrent requests with
 * different content would both pass the check. The claim is inserted in the transaction of the submission row,
 * so a losing request rolls back with its row (and its files are removed at once).
 */
@Repository
public class ErpDocumentClaims {

    private final JdbcTemplate jdbc;

    public ErpDocumentClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws org.springframework.dao.DuplicateKeyException when another submission holds the id */
    public void claim(String legalEntity, String erpDocumentId, String submissionId) {
        jdbc.update("INSERT INTO erp_document_claim (legal_entity, erp_document_id, submission_id) VALUES (?,?,?)",
                legalEntity, erpDocumentId, submissionId);
    }
}
