package io.einvoicinghub.sequence;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Persistent number sequences per legal entity and name (invoice numbers, file progressives). A number is
 * taken by a row-locking increment in the database, so concurrent workers, several hub instances and
 * restarts never get the same number; the allocation is recorded for the run's step in the same
 * transaction, so a step that runs again (retry, resume after a crash) gets its number again, not a new one.
 */
@Component
public class NumberSequences {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public NumberSequences(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** The number for this run's step: the one it took before, or the next of the sequence. */
    public long next(String legalEntity, String name, String submissionId, int run, String step) {
        for (int attempt = 0; ; attempt++) {
            try {
                Long value = transactions.execute(status -> allocate(legalEntity, name, submissionId, run, step));
                return value;
            } catch (DuplicateKeyException e) {
                if (attempt >= 5) {
                    throw e; // two first allocations of a new sequence collided more than a few times
                }
            }
        }
    }

    private Long allocate(String legalEntity, String name, String submissionId, int run, String step) {
        List<Long> taken = jdbc.queryForList("SELECT number_value FROM number_allocation WHERE submission_id = ? "
                + "AND run_no = ? AND step_name = ? AND legal_entity = ? AND name = ?", Long.class,
                submissionId, run, step, legalEntity, name);
        if (!taken.isEmpty()) {
            return taken.get(0);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // the UPDATE locks the sequence's row until commit: concurrent takers queue behind it
        if (jdbc.update("UPDATE number_sequence SET last_value = last_value + 1, updated_at = ? WHERE legal_entity = ? "
                + "AND name = ?", now, legalEntity, name) == 0) {
            jdbc.update("INSERT INTO number_sequence (legal_entity, name, last_value, updated_at) VALUES (?,?,1,?)",
                    legalEntity, name, now);
        }
        Long value = jdbc.queryForObject("SELECT last_value FROM number_sequence WHERE legal_entity = ? AND name = ?",
                Long.class, legalEntity, name);
        jdbc.update("INSERT INTO number_allocation (legal_entity, name, number_value, submission_id, run_no, step_name, "
                + "allocated_at) VALUES (?,?,?,?,?,?,?)", legalEntity, name, value, submissionId, run, step, now);
        return value;
    }

    /** The last number taken, for operators; 0 when the sequence has not been used. */
    public long current(String legalEntity, String name) {
        List<Long> value = jdbc.queryForList("SELECT last_value FROM number_sequence WHERE legal_entity = ? AND name = ?",
                Long.class, legalEntity, name);
        return value.isEmpty() ? 0 : value.get(0);
    }
}
