package io.einvoicinghub.submission;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The correlation keys Pending runs wait on ({@code wait-for-callback}) and the notifications that arrive for
 * them ({@code POST /api/v1/callbacks/{key}}). A key names one run; its notification is taken once, and
 * taking it wakes the run at once instead of at its time-out.
 */
@Repository
public class RunCallbacks {

    /** A registered key, with the notification once it has come. */
    public record Callback(String correlationKey, String submissionId, int run, String step, String payload,
                           String contentType, OffsetDateTime receivedAt, OffsetDateTime consumedAt) {
        public boolean received() {
            return receivedAt != null;
        }
    }

    public enum Registration { REGISTERED, TAKEN_BY_ANOTHER_RUN }

    public enum Receipt { ACCEPTED, UNKNOWN_KEY, ALREADY_RECEIVED }

    private static final RowMapper<Callback> CALLBACK = (rs, i) -> new Callback(rs.getString("correlation_key"),
            rs.getString("submission_id"), rs.getInt("run_no"), rs.getString("step_name"), rs.getString("payload"),
            rs.getString("content_type"), rs.getObject("received_at", OffsetDateTime.class),
            rs.getObject("consumed_at", OffsetDateTime.class));

    private final JdbcTemplate jdbc;

    public RunCallbacks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Run {@code run} of {@code submissionId} waits on {@code key} in {@code step}. Registering again from the
     * same run (a resumed step) changes nothing; a later run of the same submission takes the key over with a
     * clean slate; another submission's key is refused.
     */
    @Transactional
    public Registration register(String key, String submissionId, int run, String step) {
        Optional<Callback> existing = find(key);
        if (existing.isEmpty()) {
            jdbc.update("INSERT INTO run_callback (correlation_key, submission_id, run_no, step_name) VALUES (?,?,?,?)",
                    key, submissionId, run, step);
            return Registration.REGISTERED;
        }
        Callback c = existing.get();
        if (!c.submissionId().equals(submissionId)) {
            return Registration.TAKEN_BY_ANOTHER_RUN;
        }
        if (c.run() < run) {
            jdbc.update("UPDATE run_callback SET run_no = ?, step_name = ?, payload = NULL, content_type = NULL, "
                    + "received_at = NULL, consumed_at = NULL WHERE correlation_key = ? AND run_no = ?", run, step, key, c.run());
        }
        return Registration.REGISTERED;
    }

    public Optional<Callback> find(String key) {
        return jdbc.query("SELECT * FROM run_callback WHERE correlation_key = ?", CALLBACK, key).stream().findFirst();
    }

    /**
     * Keeps the notification for {@code key} (first one wins) and makes its Pending run due now, so a poller
     * resumes it within its next look rather than at the wait's time-out.
     */
    @Transactional
    public Receipt receive(String key, String payload, String contentType) {
        Optional<Callback> c = find(key);
        if (c.isEmpty()) {
            return Receipt.UNKNOWN_KEY;
        }
        OffsetDateTime now = SubmissionRepository.now();
        int taken = jdbc.update("UPDATE run_callback SET payload = ?, content_type = ?, received_at = ? "
                + "WHERE correlation_key = ? AND received_at IS NULL", payload, contentType, now, key);
        if (taken == 0) {
            return Receipt.ALREADY_RECEIVED;
        }
        jdbc.update("UPDATE submission SET next_attempt_at = ? WHERE id = ? AND run_no = ? AND status = 'Pending'",
                now, c.get().submissionId(), c.get().run());
        return Receipt.ACCEPTED;
    }

    /** The run has taken the notification into its state: it no longer makes the run due. */
    public void consume(String key) {
        jdbc.update("UPDATE run_callback SET consumed_at = ? WHERE correlation_key = ? AND consumed_at IS NULL",
                SubmissionRepository.now(), key);
    }
}
