package io.einvoicinghub.sdi.hub;

import io.einvoicinghub.sdi.SdiNotification;
import java.time.ZoneOffset;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Which run sent which SDI file name, and the message files SDI sent back about it. A file name is registered
 * before the file leaves, so a message that arrives before SdIRiceviFile's answer already has its run; taking a
 * message makes that run due at once (like {@code RunCallbacks}); the run's await step reads the messages in
 * arrival order and marks each one consumed.
 */
@Repository
public class SdiTransmissions {

    public enum Registration { REGISTERED, TAKEN_BY_ANOTHER_SUBMISSION }

    public enum Receipt { ACCEPTED, ALREADY_RECEIVED, NO_TRANSMISSION }

    /** A message file as it was received. */
    public record Message(long id, String messageFile, String invoiceFile, String identificativoSdI, String type,
                          String payload, OffsetDateTime receivedAt) {
    }

    public record Transmission(String fileName, String submissionId, int run) {
    }

    private final JdbcTemplate jdbc;

    public SdiTransmissions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Run {@code run} of {@code submissionId} sends {@code fileName}. The same run again changes nothing; a later run of
     * the same submission takes the name over (older messages no longer count for it); another submission is refused.
     */
    @Transactional
    public Registration register(String fileName, String submissionId, int run) {
        Optional<Transmission> existing = find(fileName);
        if (existing.isEmpty()) {
            try {
                jdbc.update("INSERT INTO sdi_transmission (file_name, submission_id, run_no, registered_at) VALUES (?,?,?,?)",
                        fileName, submissionId, run, now());
                return Registration.REGISTERED;
            } catch (DuplicateKeyException e) {
                existing = find(fileName);
            }
        }
        Transmission t = existing.orElseThrow();
        if (!t.submissionId().equals(submissionId)) {
            return Registration.TAKEN_BY_ANOTHER_SUBMISSION;
        }
        if (t.run() < run) {
            jdbc.update("UPDATE sdi_transmission SET run_no = ? WHERE file_name = ?", run, fileName);
            jdbc.update("UPDATE sdi_notification SET consumed_at = ? WHERE invoice_file = ? AND consumed_at IS NULL",
                    now(), fileName);
        }
        return Registration.REGISTERED;
    }

    public Optional<Transmission> find(String fileName) {
        return jdbc.query("SELECT file_name, submission_id, run_no FROM sdi_transmission WHERE file_name = ?",
                (rs, i) -> new Transmission(rs.getString(1), rs.getString(2), rs.getInt(3)), fileName).stream().findFirst();
    }

    /**
     * Keeps message {@code messageFile} (a repeated delivery of the same message is taken once) and wakes the run that
     * sent its invoice file. A message about a file the hub never registered is kept as well (nothing is lost) and
     * reported as such.
     */
    @Transactional
    public Receipt receive(String messageFile, SdiNotification notification, String payload) {
        OffsetDateTime now = now();
        try {
            jdbc.update("INSERT INTO sdi_notification (message_file, invoice_file, identificativo_sdi, message_type, payload, "
                            + "received_at) VALUES (?,?,?,?,?,?)", messageFile, notification.invoiceFileName(),
                    notification.identificativoSdI(), notification.type().name(), payload, now);
        } catch (DuplicateKeyException e) {
            return Receipt.ALREADY_RECEIVED;
        }
        Optional<Transmission> transmission = find(notification.invoiceFileName());
        if (transmission.isEmpty()) {
            return Receipt.NO_TRANSMISSION;
        }
        jdbc.update("UPDATE submission SET next_attempt_at = ? WHERE id = ? AND run_no = ? AND status = 'Pending'",
                now, transmission.get().submissionId(), transmission.get().run());
        return Receipt.ACCEPTED;
    }

    /** The messages about {@code invoiceFile} not yet taken by its run, in arrival order. */
    public List<Message> unconsumed(String invoiceFile) {
        return jdbc.query("SELECT id, message_file, invoice_file, identificativo_sdi, message_type, payload, received_at "
                        + "FROM sdi_notification WHERE invoice_file = ? AND consumed_at IS NULL ORDER BY id",
                (rs, i) -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getObject(7, OffsetDateTime.class)), invoiceFile);
    }

    /** Every message about {@code invoiceFile}, consumed or not (a send reconciling after a lost answer looks here). */
    public List<Message> all(String invoiceFile) {
        return jdbc.query("SELECT id, message_file, invoice_file, identificativo_sdi, message_type, payload, received_at "
                        + "FROM sdi_notification WHERE invoice_file = ? ORDER BY id",
                (rs, i) -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getObject(7, OffsetDateTime.class)), invoiceFile);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    public void consume(long id) {
        jdbc.update("UPDATE sdi_notification SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL", now(), id);
    }
}
