package io.einvoicinghub.inbound.channel;

import io.einvoicinghub.inbound.InboundReceipt;
import io.einvoicinghub.inbound.InboundReceipts;
import io.einvoicinghub.storage.ArtifactStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attachments kept with a receipt ({@code inbound_receipt_attachment}, Flyway V24): a mail's other attachments
 * when it is read as one main document. Stored first, then listed; keeping them again (the same mail seen again)
 * changes nothing.
 */
@Repository
public class ReceiptAttachments {

    /** One kept attachment; {@code storageKey} holds its bytes as received. */
    public record Attachment(int seq, String fileName, long fileSize, String fileHash, String storageKey) {
    }

    private final JdbcTemplate jdbc;
    private final ArtifactStore store;
    private final InboundReceipts receipts;

    public ReceiptAttachments(JdbcTemplate jdbc, ArtifactStore store, InboundReceipts receipts) {
        this.jdbc = jdbc;
        this.store = store;
        this.receipts = receipts;
    }

    public void keep(InboundReceipt receipt, Map<String, byte[]> attachments) {
        if (attachments.isEmpty() || !list(receipt.id()).isEmpty()) {
            return;
        }
        int seq = 0;
        for (Map.Entry<String, byte[]> a : attachments.entrySet()) {
            seq++;
            String key = receipt.storagePrefix() + "04-attachment-" + seq;
            store.put(key, a.getValue(), "application/octet-stream");
            String name = a.getKey().replace('\\', '/');
            name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "_");
            name = name.length() > 300 ? name.substring(0, 300) : name;
            String hash = sha256(a.getValue());
            jdbc.update("INSERT INTO inbound_receipt_attachment (receipt_id, seq, file_name, file_size, file_hash, storage_key) "
                    + "VALUES (?,?,?,?,?,?)", receipt.id(), seq, name, a.getValue().length, hash, key);
            receipts.log(receipt.id(), "attachment", "INFO", "Attachment " + seq + " kept: " + name + " ("
                    + a.getValue().length + " bytes, SHA-256 " + hash + ")", null, null);
        }
    }

    public List<Attachment> list(String receiptId) {
        return jdbc.query("SELECT seq, file_name, file_size, file_hash, storage_key FROM inbound_receipt_attachment "
                        + "WHERE receipt_id = ? ORDER BY seq",
                (rs, n) -> new Attachment(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5)),
                receiptId);
    }

    public Optional<Attachment> find(String receiptId, int seq) {
        return list(receiptId).stream().filter(a -> a.seq() == seq).findFirst();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
