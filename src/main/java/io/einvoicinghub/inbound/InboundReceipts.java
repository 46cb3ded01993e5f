package io.einvoicinghub.inbound;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The receipts, their claims on a document and their log ({@code inbound_receipt}, {@code inbound_document_claim},
 * {@code inbound_receipt_log}). Plain SQL that runs unchanged on H2 and PostgreSQL. */
@Repository
public class InboundReceipts {

    private static final String COLUMNS = "id, channel, source_reference, file_name, file_hash, file_size, storage_prefix, "
            + "legal_entity, detected_format, format_detail, status, reason, seller_id, invoice_number, issue_date, "
            + "duplicate_of, attempts, created_at, updated_at, converted_at, acknowledged_at";

    private static final RowMapper<InboundReceipt> ROW = InboundReceipts::map;

    private final JdbcTemplate jdbc;

    public InboundReceipts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws org.springframework.dao.DuplicateKeyException when a receipt with the same intake key exists */
    public void insert(InboundReceipt r, String intakeKey) {
        jdbc.update("INSERT INTO inbound_receipt (" + COLUMNS + ", intake_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                r.id(), r.channel(), r.sourceReference(), r.fileName(), r.fileHash(), r.fileSize(), r.storagePrefix(),
                r.legalEntity(), r.detectedFormat(), r.formatDetail(), r.status().label(), r.reason(), r.sellerId(),
                r.invoiceNumber(), r.issueDate(), r.duplicateOf(), r.attempts(), r.createdAt(), r.updatedAt(),
                r.convertedAt(), r.acknowledgedAt(), intakeKey);
    }

    public Optional<InboundReceipt> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM inbound_receipt WHERE id = ?", ROW, id).stream().findFirst();
    }

    public Optional<InboundReceipt> findByIntakeKey(String intakeKey) {
        return jdbc.query("SELECT " + COLUMNS + " FROM inbound_receipt WHERE intake_key = ?", ROW, intakeKey).stream()
                .findFirst();
    }

    /** The format found and what was read from the document, with the outcome of this attempt. */
    public void recordOutcome(String id, ReceiptStatus status, String reason, String format, String formatDetail,
                              String legalEntity, String sellerId, String invoiceNumber, String issueDate,
                              String duplicateOf) {
        OffsetDateTime now = now();
        jdbc.update("UPDATE inbound_receipt SET status = ?, reason = ?, detected_format = ?, format_detail = ?, "
                        + "legal_entity = ?, seller_id = ?, invoice_number = ?, issue_date = ?, duplicate_of = ?, "
                        + "updated_at = ?, converted_at = ? WHERE id = ?",
                status.label(), truncate(reason, 2000), format, truncate(formatDetail, 500), legalEntity,
                truncate(sellerId, 200), truncate(invoiceNumber, 200), truncate(issueDate, 10), duplicateOf, now,
                status.offered() ? now : null, id);
    }

    /** Moves a Failed receipt back to Received for another attempt; false when it is not Failed (or another won). */
    public boolean restartFailed(String id) {
        return jdbc.update("UPDATE inbound_receipt SET status = ?, reason = NULL, attempts = attempts + 1, updated_at = ? "
                + "WHERE id = ? AND status = ?", ReceiptStatus.RECEIVED.label(), now(), id, ReceiptStatus.FAILED.label()) == 1;
    }

    /** Receipts still Received whose row was last changed before {@code before}: their processing was interrupted. */
    public List<InboundReceipt> interrupted(OffsetDateTime before, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM inbound_receipt WHERE status = ? AND updated_at < ? "
                + "ORDER BY updated_at LIMIT ?", ROW, ReceiptStatus.RECEIVED.label(), before, limit);
    }

    /**
     * Takes over an interrupted receipt for another attempt: true for exactly one caller (the row must still be
     * Received and unchanged since {@code seenUpdatedAt}), also across hub instances.
     */
    public boolean takeOver(String id, OffsetDateTime seenUpdatedAt) {
        return jdbc.update("UPDATE inbound_receipt SET attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = ? "
                + "AND updated_at = ?", now(), id, ReceiptStatus.RECEIVED.label(), seenUpdatedAt) == 1;
    }

    /** Converted → Acknowledged; true also when it was acknowledged before (idempotent). */
    public boolean acknowledge(String id) {
        jdbc.update("UPDATE inbound_receipt SET status = ?, acknowledged_at = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)",
                ReceiptStatus.ACKNOWLEDGED.label(), now(), now(), id, ReceiptStatus.CONVERTED.label(), ReceiptStatus.VALID.label());
        return find(id).map(r -> r.status() == ReceiptStatus.ACKNOWLEDGED).orElse(false);
    }

    /** @throws org.springframework.dao.DuplicateKeyException when another receipt holds the claim */
    public void claim(String claimKey, String kind, String receiptId) {
        jdbc.update("INSERT INTO inbound_document_claim (claim_key, kind, receipt_id) VALUES (?,?,?)", claimKey, kind,
                receiptId);
    }

    public Optional<String> claimHolder(String claimKey) {
        return jdbc.queryForList("SELECT receipt_id FROM inbound_document_claim WHERE claim_key = ?", String.class, claimKey)
                .stream().findFirst();
    }

    /**
     * Converted (and Valid: original only) documents of a legal entity not yet acknowledged, oldest conversion first, after the cursor position
     * ({@code convertedAt}, {@code id}) when given.
     */
    public List<InboundReceipt> ready(String legalEntity, OffsetDateTime afterConvertedAt, String afterId, int limit) {
        if (afterConvertedAt == null) {
            return jdbc.query("SELECT " + COLUMNS + " FROM inbound_receipt WHERE legal_entity = ? AND status IN (?, ?) "
                    + "ORDER BY converted_at, id LIMIT ?", ROW, legalEntity, ReceiptStatus.CONVERTED.label(),
                    ReceiptStatus.VALID.label(), limit);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM inbound_receipt WHERE legal_entity = ? AND status IN (?, ?) "
                        + "AND (converted_at > ? OR (converted_at = ? AND id > ?)) ORDER BY converted_at, id LIMIT ?", ROW,
                legalEntity, ReceiptStatus.CONVERTED.label(), ReceiptStatus.VALID.label(), afterConvertedAt, afterConvertedAt,
                afterId, limit);
    }

    public void log(String receiptId, String step, String severity, String message, String ruleId, String location) {
        for (int attempt = 1; ; attempt++) {
            Integer last = jdbc.queryForObject("SELECT MAX(seq) FROM inbound_receipt_log WHERE receipt_id = ?", Integer.class,
                    receiptId);
            try {
                jdbc.update("INSERT INTO inbound_receipt_log (receipt_id, seq, at, step, severity, message, rule_id, location) "
                                + "VALUES (?,?,?,?,?,?,?,?)", receiptId, last == null ? 1 : last + 1, now(), step, severity,
                        truncate(message == null ? "" : message, 4000), truncate(ruleId, 200), truncate(location, 1000));
                return;
            } catch (org.springframework.dao.DuplicateKeyException concurrentEntry) {
                if (attempt == 5) { // two attempts at one receipt writing its log at once: the next number again
                    throw concurrentEntry;
                }
            }
        }
    }

    public List<ReceiptLogEntry> log(String receiptId) {
        return jdbc.query("SELECT seq, at, step, severity, message, rule_id, location FROM inbound_receipt_log "
                        + "WHERE receipt_id = ? ORDER BY seq",
                (rs, n) -> new ReceiptLogEntry(rs.getInt(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), receiptId);
    }

    private static InboundReceipt map(ResultSet rs, int n) throws SQLException {
        return new InboundReceipt(rs.getString("id"), rs.getString("channel"), rs.getString("source_reference"),
                rs.getString("file_name"), rs.getString("file_hash"), rs.getLong("file_size"),
                rs.getString("storage_prefix"), rs.getString("legal_entity"), rs.getString("detected_format"),
                rs.getString("format_detail"), ReceiptStatus.ofLabel(rs.getString("status")), rs.getString("reason"),
                rs.getString("seller_id"), rs.getString("invoice_number"), rs.getString("issue_date"),
                rs.getString("duplicate_of"), rs.getInt("attempts"), utc(rs, "created_at"), utc(rs, "updated_at"),
                utc(rs, "converted_at"), utc(rs, "acknowledged_at"));
    }

    private static OffsetDateTime utc(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    static OffsetDateTime now() {
        // microseconds: what both H2 and PostgreSQL keep, so a cursor built from a row compares equal to the row
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
