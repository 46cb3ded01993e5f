package io.einvoicinghub.cdar;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The status history rows ({@code invoice_status}). */
public class InvoiceStatuses {

    private static final String COLUMNS = "id, submission_id, receipt_id, source, outcome, status_code, status_label, "
            + "status_at, issuer_role, reason_code, reason_text, amount, currency, invoice_number, seller_id, message_id, "
            + "storage_key, sha256, size_bytes, artifact_id, detail, caller, recorded_at";

    private static final RowMapper<StatusRecord> ROW = (rs, n) -> new StatusRecord(rs.getLong("id"),
            rs.getString("submission_id"), rs.getString("receipt_id"), rs.getString("source"), rs.getString("outcome"),
            rs.getString("status_code"), rs.getString("status_label"), rs.getObject("status_at", OffsetDateTime.class),
            rs.getString("issuer_role"), rs.getString("reason_code"), rs.getString("reason_text"), rs.getString("amount"),
            rs.getString("currency"), rs.getString("invoice_number"), rs.getString("seller_id"), rs.getString("message_id"),
            rs.getString("storage_key"), rs.getString("sha256"), rs.getLong("size_bytes"),
            (Long) rs.getObject("artifact_id", Long.class), rs.getString("detail"), rs.getString("caller"),
            rs.getObject("recorded_at", OffsetDateTime.class));

    private final JdbcTemplate jdbc;

    public InvoiceStatuses(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the row with its id */
    public StatusRecord insert(StatusRecord r) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement("INSERT INTO invoice_status (" + COLUMNS.substring(4)
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", new String[] {"id"});
            Object[] values = {r.submissionId(), r.receiptId(), r.source(), r.outcome(), r.statusCode(),
                    cut(r.statusLabel(), 100), r.statusAt(), r.issuerRole(), cut(r.reasonCode(), 40), cut(r.reasonText(), 2000),
                    cut(r.amount(), 40), cut(r.currency(), 3), cut(r.invoiceNumber(), 200), cut(r.sellerId(), 200),
                    cut(r.messageId(), 200), r.storageKey(), r.sha256(), r.size(), r.artifactId(), cut(r.detail(), 4000),
                    cut(r.caller(), 200), r.recordedAt()};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            return ps;
        }, keys);
        long id = keys.getKey().longValue();
        return find(id).orElseThrow();
    }

    public Optional<StatusRecord> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invoice_status WHERE id = ?", ROW, id).stream().findFirst();
    }

    public List<StatusRecord> ofSubmission(String submissionId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invoice_status WHERE submission_id = ? ORDER BY id", ROW, submissionId);
    }

    public List<StatusRecord> ofReceipt(String receiptId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM invoice_status WHERE receipt_id = ? ORDER BY id", ROW, receiptId);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
