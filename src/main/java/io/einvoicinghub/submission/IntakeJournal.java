package io.einvoicinghub.submission;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The intakes under way, by the storage prefix their input files go to: an entry is committed before the first
 * file is written and removed in the transaction that inserts the submission row, so every file in storage is
 * referenced either by a row or by an entry here.
 */
@Repository
public class IntakeJournal {

    private final JdbcTemplate jdbc;

    public IntakeJournal(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void begin(String storagePrefix, String node) {
        jdbc.update("INSERT INTO intake_pending (storage_prefix, node, started_at) VALUES (?,?,?)", storagePrefix, node,
                OffsetDateTime.now(ZoneOffset.UTC));
    }

    public void end(String storagePrefix) {
        jdbc.update("DELETE FROM intake_pending WHERE storage_prefix = ?", storagePrefix);
    }

    /** Entries of {@code node} older than {@code before}, or of any node when {@code node} is null. */
    public List<String> startedBefore(String node, OffsetDateTime before, int max) {
        return node == null
                ? jdbc.queryForList("SELECT storage_prefix FROM intake_pending WHERE started_at < ? ORDER BY started_at "
                + "LIMIT ?", String.class, before, max)
                : jdbc.queryForList("SELECT storage_prefix FROM intake_pending WHERE node = ? AND started_at < ? "
                + "ORDER BY started_at LIMIT ?", String.class, node, before, max);
    }

    /** True when a submission row refers to the prefix: its files were accepted and must stay. */
    public boolean accepted(String storagePrefix) {
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM submission WHERE storage_prefix = ?", Integer.class,
                storagePrefix);
        return rows != null && rows > 0;
    }
}
