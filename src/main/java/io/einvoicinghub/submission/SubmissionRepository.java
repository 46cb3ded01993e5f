package io.einvoicinghub.submission;

import io.einvoicinghub.storage.StoredArtifact;
import io.einvoicinghub.validation.Finding;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Submissions, their status history and their log, in the relational database. Every status change is a
 * compare-and-set on the current status, so two workers (or a worker and a cancel request) can never both
 * move a submission, and each run ends in exactly one terminal status.
 */
@Repository
public class SubmissionRepository {

    private static final String COLUMNS = "id, legal_entity, country, document_type, erp_document_id, content_sha256, "
            + "idempotency_key, feature_id, feature_version, status, verdict, status_message, storage_prefix, run_no, "
            + "owner_node, lease_until, cancel_requested, created_at, updated_at, finished_at";
    private static final String NOT_TERMINAL = "('Scheduled','Executing','Pending')";

    private final JdbcTemplate jdbc;

    public SubmissionRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    @Transactional
    public void insert(Submission s, String node) {
        jdbc.update("INSERT INTO submission (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                s.id(), s.legalEntity(), s.country(), s.documentType(), s.erpDocumentId(), s.contentSha256(),
                s.idempotencyKey(), s.featureId(), s.featureVersion(), s.status().name(), s.verdict().name(),
                s.statusMessage(), s.storagePrefix(), s.runNo(), s.ownerNode(), s.leaseUntil(), s.cancelRequested(),
                s.createdAt(), s.updatedAt(), s.finishedAt());
        event(s.id(), s.runNo(), null, s.status(), "Accepted", node);
    }

    /** The row, its first event and its two input files in one transaction. */
    @Transactional
    public void insertWithInputs(Submission s, String node, StoredArtifact document, StoredArtifact context) {
        insert(s, node);
        addArtifact(s.id(), 0, "document", "input", document);
        addArtifact(s.id(), 0, "context", "input", context);
    }

    public Optional<Submission> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM submission WHERE id = ?", SUBMISSION, id).stream().findFirst();
    }

    public Optional<Submission> findByIdempotencyKey(String legalEntity, String key) {
        return jdbc.query("SELECT " + COLUMNS + " FROM submission WHERE legal_entity = ? AND idempotency_key = ?",
                SUBMISSION, legalEntity, key).stream().findFirst();
    }

    public Optional<Submission> findByContent(String legalEntity, String erpDocumentId, String sha256) {
        return jdbc.query("SELECT " + COLUMNS + " FROM submission WHERE legal_entity = ? AND erp_document_id = ? "
                + "AND content_sha256 = ?", SUBMISSION, legalEntity, erpDocumentId, sha256).stream().findFirst();
    }

    /** The newest submission of this legal entity under this ERP document id, whatever its content. */
    public Optional<Submission> findLatestByErpDocumentId(String legalEntity, String erpDocumentId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM submission WHERE legal_entity = ? AND erp_document_id = ? "
                + "ORDER BY created_at DESC, id LIMIT 1", SUBMISSION, legalEntity, erpDocumentId).stream().findFirst();
    }

    public List<Submission> list(SubmissionFilter filter) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM submission WHERE " + where(filter, args)
                + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?";
        args.add(filter.limit());
        args.add(filter.offset());
        return jdbc.query(sql, SUBMISSION, args.toArray());
    }

    /** How many submissions match the filter, by status (statuses without any are absent); paging is ignored. */
    public Map<SubmissionStatus, Long> countByStatus(SubmissionFilter filter) {
        List<Object> args = new ArrayList<>();
        Map<SubmissionStatus, Long> counts = new EnumMap<>(SubmissionStatus.class);
        jdbc.query("SELECT status, COUNT(*) FROM submission WHERE " + where(filter, args) + " GROUP BY status",
                (RowCallbackHandler) rs -> counts.put(SubmissionStatus.valueOf(rs.getString(1)), rs.getLong(2)),
                args.toArray());
        return counts;
    }

    /** The SQL condition for a filter's criteria (paging aside); appends their values to {@code args}. */
    private static String where(SubmissionFilter filter, List<Object> args) {
        StringBuilder sql = new StringBuilder("1=1");
        if (filter.legalEntity() != null) {
            sql.append(" AND legal_entity = ?");
            args.add(filter.legalEntity());
        }
        if (filter.visibleLegalEntities() != null) {
            // the caller's own legal entities only; none at all matches nothing
            sql.append(filter.visibleLegalEntities().isEmpty() ? " AND 1=0" : " AND legal_entity IN ("
                    + String.join(",", java.util.Collections.nCopies(filter.visibleLegalEntities().size(), "?")) + ")");
            args.addAll(filter.visibleLegalEntities());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status().name());
        }
        if (filter.erpDocumentId() != null) {
            sql.append(" AND erp_document_id = ?");
            args.add(filter.erpDocumentId());
        }
        if (filter.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            args.add(filter.createdFrom());
        }
        if (filter.createdTo() != null) {
            sql.append(" AND created_at < ?");
            args.add(filter.createdTo());
        }
        if (filter.verdict() != null) {
            sql.append(" AND verdict = ?");
            args.add(filter.verdict().name());
        }
        if (filter.featureId() != null) {
            sql.append(" AND feature_id = ?");
            args.add(filter.featureId());
        }
        return sql.toString();
    }

    /** Scheduled → Executing for this node, for run {@code run} as the caller read it. */
    @Transactional
    public boolean claim(String id, int run, String node, OffsetDateTime leaseUntil) {
        int changed = jdbc.update("UPDATE submission SET status = 'Executing', owner_node = ?, lease_until = ?, "
                + "updated_at = ? WHERE id = ? AND run_no = ? AND status = 'Scheduled'", node, leaseUntil, now(), id, run);
        if (changed == 0) {
            return false;
        }
        event(id, run, SubmissionStatus.Scheduled, SubmissionStatus.Executing, null, node);
        return true;
    }

    /**
     * Moves a running submission, held by {@code node}, to its final status; false if it was no longer running
     * or another node holds it (its lease ran out and the run was taken over: the stale worker must not finish it).
     */
    @Transactional
    public boolean finish(String id, int runNo, SubmissionStatus to, Verdict verdict, String message, String node) {
        SubmissionStatus from = findById(id).map(Submission::status).orElse(null);
        OffsetDateTime now = now();
        int changed = jdbc.update("UPDATE submission SET status = ?, verdict = ?, status_message = ?, updated_at = ?, "
                        + "finished_at = ?, lease_until = NULL, next_attempt_at = NULL WHERE id = ? AND run_no = ? "
                        + "AND status IN " + NOT_TERMINAL + " AND owner_node = ?",
                to.name(), verdict.name(), truncate(message), now, to.isTerminal() ? now : null, id, runNo, node);
        if (changed == 1) {
            event(id, runNo, from, to, message, node);
        }
        return changed == 1;
    }

    /**
     * {@link #finish} and, if it applies (this node still holds the run), the log rows the run kept for its last
     * transaction ({@code logWrites}) and its final state, rendered with the log marks read after those rows, in
     * the same transaction. False, and nothing written, when the run was no longer this node's.
     */
    @Transactional
    public boolean finish(String id, int runNo, SubmissionStatus to, Verdict verdict, String message, String node,
                          Runnable logWrites, java.util.function.Function<long[], String> state) {
        if (!finish(id, runNo, to, verdict, message, node)) {
            return false;
        }
        logWrites.run();
        jdbc.update("UPDATE submission_run SET state = ?, updated_at = ? WHERE submission_id = ? AND run_no = ?",
                state.apply(logMarks(id, runNo)), now(), id, runNo);
        return true;
    }

    // ---- durable runs: checkpoints, leases, Pending timers (docs/decisions/0008) ----------------------------

    /**
     * A Pending run whose next check is due and that no live node holds gets {@code node} as its holder; the
     * status stays Pending (the ERP sees one Pending period, not a flicker per poll). If the previous holder
     * died mid-step, the rows that step had written after the last checkpoint are removed first.
     */
    @Transactional
    public boolean claimPending(String id, int run, String node, OffsetDateTime leaseUntil) {
        OffsetDateTime now = now();
        List<String> owners = jdbc.queryForList("SELECT owner_node FROM submission WHERE id = ? AND run_no = ? "
                + "AND status = 'Pending'", String.class, id, run);
        String previousOwner = owners.isEmpty() ? null : owners.get(0);
        int changed = jdbc.update("UPDATE submission SET owner_node = ?, lease_until = ? WHERE id = ? AND run_no = ? "
                + "AND status = 'Pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)",
                node, leaseUntil, id, run, now, now);
        if (changed == 1 && previousOwner != null) {
            discardInterruptedStep(id, run);
        }
        return changed == 1;
    }

    /** Pending runs due for their next check and held by nobody (or by a node whose lease ran out), oldest first. */
    public List<Map.Entry<String, Integer>> duePending(int max) {
        OffsetDateTime now = now();
        return jdbc.query("SELECT id, run_no FROM submission WHERE status = 'Pending' AND next_attempt_at <= ? "
                        + "AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at LIMIT ?",
                (rs, i) -> Map.entry(rs.getString(1), rs.getInt(2)), now, now, max);
    }

    /** The earliest time a Pending run is due, for the poller's sleep; empty when none waits. */
    public Optional<OffsetDateTime> nextPendingDue() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MIN(next_attempt_at) FROM submission WHERE status = 'Pending'",
                OffsetDateTime.class));
    }

    /** Extends this node's lease on a run it is executing; false when the run is no longer this node's. */
    public boolean renewLease(String id, int run, String node, OffsetDateTime leaseUntil) {
        return jdbc.update("UPDATE submission SET lease_until = ? WHERE id = ? AND run_no = ? AND owner_node = ? "
                + "AND status IN ('Executing','Pending')", leaseUntil, id, run, node) == 1;
    }

    public Optional<String> runState(String id, int run) {
        return jdbc.query("SELECT state FROM submission_run WHERE submission_id = ? AND run_no = ?",
                (rs, i) -> rs.getString(1), id, run).stream().findFirst();
    }

    /**
     * Writes the run's checkpoint if {@code node} still holds the run (owner check and write in one
     * transaction); false when it lost the run (lease taken over, canceled while Pending).
     */
    @Transactional
    public boolean checkpoint(String id, int run, String node, String state) {
        OffsetDateTime now = now();
        int held = jdbc.update("UPDATE submission SET updated_at = ? WHERE id = ? AND run_no = ? AND owner_node = ? "
                + "AND status IN ('Executing','Pending')", now, id, run, node);
        if (held == 0) {
            return false;
        }
        if (jdbc.update("UPDATE submission_run SET state = ?, updated_at = ? WHERE submission_id = ? AND run_no = ?",
                state, now, id, run) == 0) {
            jdbc.update("INSERT INTO submission_run (submission_id, run_no, state, updated_at) VALUES (?,?,?,?)",
                    id, run, state, now);
        }
        return true;
    }

    /**
     * The run waits for an external party: Pending with verdict Awaiting, released by this node, looked at
     * again at {@code nextAttempt}. The first suspension is a status change in the history; later polls are not.
     */
    @Transactional
    public boolean suspend(String id, int run, String node, OffsetDateTime nextAttempt, String message) {
        SubmissionStatus from = findById(id).map(Submission::status).orElse(null);
        OffsetDateTime now = now();
        // a callback (or an SDI message, V23) that arrived while the step was still running makes the run due at once
        int changed = jdbc.update("UPDATE submission SET status = 'Pending', verdict = 'Awaiting', status_message = ?, "
                        + "owner_node = NULL, lease_until = NULL, next_attempt_at = CASE WHEN EXISTS (SELECT 1 FROM "
                        + "run_callback c WHERE c.submission_id = ? AND c.run_no = ? AND c.received_at IS NOT NULL "
                        + "AND c.consumed_at IS NULL) OR EXISTS (SELECT 1 FROM sdi_transmission t JOIN sdi_notification n "
                        + "ON n.invoice_file = t.file_name WHERE t.submission_id = ? AND t.run_no = ? AND n.consumed_at IS NULL) "
                        + "THEN ? ELSE ? END, updated_at = ? WHERE id = ? "
                        + "AND run_no = ? AND owner_node = ? AND status IN ('Executing','Pending')",
                truncate(message), id, run, id, run, now, nextAttempt, now, id, run, node);
        if (changed == 1 && from != SubmissionStatus.Pending) {
            event(id, run, from, SubmissionStatus.Pending, message, node);
        }
        return changed == 1;
    }

    /**
     * A step's checkpoint in one transaction: if {@code node} still holds the run, the log rows the step left since
     * the last checkpoint ({@code logWrites}: stored files, findings, authority outputs, its log line) and the run's
     * state, which {@code state} renders with the log marks read after those rows. False (and nothing written) when
     * the node lost the run.
     */
    @Transactional
    public boolean checkpoint(String id, int run, String node, Runnable logWrites,
                              java.util.function.Function<long[], String> state) {
        OffsetDateTime now = now();
        int held = jdbc.update("UPDATE submission SET updated_at = ? WHERE id = ? AND run_no = ? AND owner_node = ? "
                + "AND status IN ('Executing','Pending')", now, id, run, node);
        if (held == 0) {
            return false;
        }
        logWrites.run();
        String json = state.apply(logMarks(id, run));
        if (jdbc.update("UPDATE submission_run SET state = ?, updated_at = ? WHERE submission_id = ? AND run_no = ?",
                json, now, id, run) == 0) {
            jdbc.update("INSERT INTO submission_run (submission_id, run_no, state, updated_at) VALUES (?,?,?,?)",
                    id, run, json, now);
        }
        return true;
    }

    /** Runs {@code writes} (repository calls) in one transaction. */
    @Transactional
    public void inTransaction(Runnable writes) {
        writes.run();
    }

    /** Highest ids of the run's findings, artifacts and authority outputs: the marks a checkpoint records. */
    public long[] logMarks(String id, int run) {
        return jdbc.queryForObject("SELECT (SELECT MAX(id) FROM submission_finding WHERE submission_id = ? AND run_no = ?), "
                        + "(SELECT MAX(id) FROM submission_artifact WHERE submission_id = ? AND run_no = ?), "
                        + "(SELECT MAX(id) FROM authority_output WHERE submission_id = ? AND run_no = ?)",
                (rs, i) -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}, id, run, id, run, id, run);
    }

    /** Removes what an interrupted step wrote after the run's last checkpoint (the step runs again). */
    private void discardInterruptedStep(String id, int run) {
        long[] marks = runState(id, run).map(SubmissionRepository::marksOf).orElse(new long[]{0, 0, 0});
        jdbc.update("DELETE FROM submission_step WHERE submission_id = ? AND run_no = ? AND status = 'Running'", id, run);
        jdbc.update("DELETE FROM submission_finding WHERE submission_id = ? AND run_no = ? AND id > ?", id, run, marks[0]);
        jdbc.update("DELETE FROM submission_artifact WHERE submission_id = ? AND run_no = ? AND kind <> 'input' AND id > ?",
                id, run, marks[1]);
        jdbc.update("DELETE FROM authority_output WHERE submission_id = ? AND run_no = ? AND id > ?", id, run, marks[2]);
    }

    private static long[] marksOf(String state) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = UnifiedJson.mapper().readTree(state);
            return new long[]{node.path("findingMark").asLong(), node.path("artifactMark").asLong(),
                    node.path("outputMark").asLong()};
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Unreadable checkpoint", e);
        }
    }

    /** Cancels at once unless a worker holds it; then the worker cancels at its next step. */
    @Transactional
    public Optional<SubmissionStatus> requestCancel(String id, String node) {
        Submission s = findById(id).orElse(null);
        if (s == null || s.status().isTerminal()) {
            return Optional.ofNullable(s).map(Submission::status);
        }
        int changed = jdbc.update("UPDATE submission SET status = 'Canceled', status_message = 'Canceled by request', "
                + "updated_at = ?, finished_at = ? WHERE id = ? AND status IN ('Scheduled','Pending')", now(), now(), id);
        if (changed == 1) {
            event(id, s.runNo(), s.status(), SubmissionStatus.Canceled, "Canceled by request", node);
            return Optional.of(SubmissionStatus.Canceled);
        }
        jdbc.update("UPDATE submission SET cancel_requested = TRUE, updated_at = ? WHERE id = ? AND status = 'Executing'",
                now(), id);
        return findById(id).map(Submission::status);
    }

    public boolean isCancelRequested(String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT cancel_requested FROM submission WHERE id = ?",
                Boolean.class, id));
    }

    /** A finished submission gets a new run from its stored input. */
    @Transactional
    public boolean resubmit(String id, String node) {
        Submission s = findById(id).orElse(null);
        if (s == null || !s.status().isTerminal()) {
            return false;
        }
        int changed = jdbc.update("UPDATE submission SET status = 'Scheduled', run_no = run_no + 1, verdict = 'NotRequested', "
                + "status_message = NULL, cancel_requested = FALSE, finished_at = NULL, owner_node = NULL, "
                + "updated_at = ? WHERE id = ? AND status = ? AND run_no = ?", now(), id, s.status().name(), s.runNo());
        if (changed == 1) {
            event(id, s.runNo() + 1, s.status(), SubmissionStatus.Scheduled, "Resubmitted", node);
        }
        return changed == 1;
    }

    /**
     * After a crash: this node's submissions claimed before {@code claimedBefore} (the restart) go back to
     * Scheduled; those the new process has already claimed are left alone.
     */
    @Transactional
    public List<String> rescheduleExecutingOf(String node, OffsetDateTime claimedBefore) {
        List<String> ids = jdbc.queryForList("SELECT id FROM submission WHERE status = 'Executing' AND owner_node = ? "
                + "AND updated_at < ?", String.class, node, claimedBefore);
        return reschedule(ids, "Recovered after an interrupted run on node " + node, node);
    }

    /** This node restarted: the Pending runs it held are free for any node's poller at once. */
    public int releasePendingOf(String node) {
        return jdbc.update("UPDATE submission SET owner_node = NULL, lease_until = NULL WHERE status = 'Pending' "
                + "AND owner_node = ?", node);
    }

    /** Another node's lease ran out (it died): its submissions go back to Scheduled. */
    @Transactional
    public List<String> rescheduleExpiredLeases(String node) {
        List<String> ids = jdbc.queryForList("SELECT id FROM submission WHERE status = 'Executing' AND lease_until < ?",
                String.class, now());
        return reschedule(ids, "Recovered after the executing node's lease expired", node);
    }

    private List<String> reschedule(List<String> ids, String message, String node) {
        List<String> done = new ArrayList<>();
        for (String id : ids) {
            int run = currentRun(id);
            int changed = jdbc.update("UPDATE submission SET status = 'Scheduled', owner_node = NULL, lease_until = NULL, "
                    + "updated_at = ? WHERE id = ? AND status = 'Executing'", now(), id);
            if (changed == 1) {
                // what the interrupted step wrote goes; the run resumes after its last checkpoint
                discardInterruptedStep(id, run);
                event(id, run, SubmissionStatus.Executing, SubmissionStatus.Scheduled, message, node);
                done.add(id);
            }
        }
        return done;
    }

    public List<String> scheduledNotTouchedSince(OffsetDateTime before, int max) {
        return jdbc.queryForList("SELECT id FROM submission WHERE status = 'Scheduled' AND updated_at < ? "
                + "ORDER BY updated_at LIMIT ?", String.class, before, max);
    }

    public void touch(String id) {
        jdbc.update("UPDATE submission SET updated_at = ? WHERE id = ? AND status = 'Scheduled'", now(), id);
    }

    /** {@link #touch(String)} for many at once: one batch, one commit. */
    @Transactional
    public void touch(List<String> ids) {
        OffsetDateTime now = now();
        jdbc.batchUpdate("UPDATE submission SET updated_at = ? WHERE id = ? AND status = 'Scheduled'",
                ids.stream().map(id -> new Object[]{now, id}).toList());
    }

    private int currentRun(String id) {
        Integer run = jdbc.queryForObject("SELECT run_no FROM submission WHERE id = ?", Integer.class, id);
        return run == null ? 1 : run;
    }

    private void event(String id, int run, SubmissionStatus from, SubmissionStatus to, String message, String node) {
        jdbc.update("INSERT INTO submission_event (submission_id, run_no, from_status, to_status, message, node, occurred_at) "
                + "VALUES (?,?,?,?,?,?,?)", id, run, from == null ? null : from.name(), to.name(), truncate(message),
                node, now());
    }

    // ---- the log -------------------------------------------------------------------------------------------

    public void stepStarted(String id, int run, String name) {
        // a waiting step that looks again continues its own log line rather than adding one per poll
        if (jdbc.update("UPDATE submission_step SET status = 'Running' WHERE id = (SELECT MAX(id) FROM submission_step "
                + "WHERE submission_id = ? AND run_no = ? AND name = ?) AND status = 'Pending'", id, run, name) == 1) {
            return;
        }
        jdbc.update("INSERT INTO submission_step (submission_id, run_no, name, status, started_at) VALUES (?,?,?,?,?)",
                id, run, name, "Running", now());
    }

    /** A step's line written in one go (its start was not written when it began): Running, or finished now. */
    public void stepLine(String id, int run, String name, String status, String message, OffsetDateTime startedAt) {
        stepLine(id, run, name, status, message, startedAt, "Running".equals(status) ? null : now());
    }

    /** A step's line written in one go, after the step: with the times it started and ended (null: still running). */
    public void stepLine(String id, int run, String name, String status, String message, OffsetDateTime startedAt,
                         OffsetDateTime finishedAt) {
        jdbc.update("INSERT INTO submission_step (submission_id, run_no, name, status, message, started_at, finished_at) "
                + "VALUES (?,?,?,?,?,?,?)", id, run, name, status, truncate(message), startedAt, finishedAt);
    }

    /** A failed attempt of a step that will be tried again: its own line in the log. */
    public void stepAttempt(String id, int run, String name, String message) {
        OffsetDateTime now = now();
        jdbc.update("INSERT INTO submission_step (submission_id, run_no, name, status, message, started_at, finished_at) "
                + "VALUES (?,?,?,?,?,?,?)", id, run, name, "Retried", truncate(message), now, now);
    }

    public void stepFinished(String id, int run, String name, String status, String message) {
        stepFinished(id, run, name, status, message, now());
    }

    /** The step's Running line ends with {@code status} at {@code finishedAt} (a line written after the step). */
    public void stepFinished(String id, int run, String name, String status, String message, OffsetDateTime finishedAt) {
        jdbc.update("UPDATE submission_step SET status = ?, message = ?, finished_at = ? WHERE id = (SELECT MAX(id) "
                        + "FROM submission_step WHERE submission_id = ? AND run_no = ? AND name = ? AND status = 'Running')",
                status, truncate(message), finishedAt, id, run, name);
    }

    /**
     * The step failed after its action had completed and been checkpointed (its line already says Succeeded, see
     * {@link #checkpoint(String, int, String, Runnable, java.util.function.Function)}): a later part of the
     * same route step failed, and the line says so.
     */
    public void stepFailedAfterCheckpoint(String id, int run, String name, String message) {
        jdbc.update("UPDATE submission_step SET status = 'Failed', message = ?, finished_at = ? WHERE id = (SELECT MAX(id) "
                        + "FROM submission_step WHERE submission_id = ? AND run_no = ? AND name = ?) AND status = 'Succeeded'",
                truncate(message), now(), id, run, name);
    }

    public void addFindings(String id, int run, String step, List<Finding> findings) {
        jdbc.batchUpdate("INSERT INTO submission_finding (submission_id, run_no, step_name, layer, rule_id, severity, "
                        + "message, location, source_field) VALUES (?,?,?,?,?,?,?,?,?)",
                findings.stream().map(f -> new Object[]{id, run, step, truncate(f.layer(), 200), truncate(f.ruleId(), 100),
                        f.severity().name(), truncate(f.message()), truncate(f.location(), 2000),
                        truncate(f.sourceField(), 500)}).toList());
    }

    public void addArtifact(String id, int run, String name, String kind, StoredArtifact stored) {
        jdbc.update("INSERT INTO submission_artifact (submission_id, run_no, name, kind, storage_key, content_type, "
                        + "size_bytes, sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                id, run, name, kind, stored.key(), stored.contentType(), stored.size(), stored.sha256(), now());
    }

    public void addAuthorityOutput(String id, int run, String name, String value) {
        jdbc.update("INSERT INTO authority_output (submission_id, run_no, name, output_value, created_at) VALUES (?,?,?,?,?)",
                id, run, name, value, now());
    }

    public List<LogEntries.Step> steps(String id, int run) {
        return jdbc.query("SELECT name, status, message, started_at, finished_at FROM submission_step "
                        + "WHERE submission_id = ? AND run_no = ? ORDER BY id",
                (rs, i) -> new LogEntries.Step(rs.getString(1), rs.getString(2), rs.getString(3), odt(rs, 4), odt(rs, 5)),
                id, run);
    }

    public List<LogEntries.StoredFinding> findings(String id, int run) {
        return jdbc.query("SELECT step_name, layer, rule_id, severity, message, location, source_field "
                        + "FROM submission_finding WHERE submission_id = ? AND run_no = ? ORDER BY id",
                (rs, i) -> new LogEntries.StoredFinding(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), id, run);
    }

    /** The inputs (stored once, run 0) and the artifacts of run {@code run}. */
    public List<LogEntries.Artifact> artifacts(String id, int run) {
        return jdbc.query("SELECT id, name, kind, storage_key, content_type, size_bytes, sha256, created_at "
                        + "FROM submission_artifact WHERE submission_id = ? AND (run_no = ? OR kind = 'input') ORDER BY id",
                ARTIFACT, id, run);
    }

    public Optional<LogEntries.Artifact> artifact(String submissionId, long artifactId) {
        return jdbc.query("SELECT id, name, kind, storage_key, content_type, size_bytes, sha256, created_at "
                + "FROM submission_artifact WHERE submission_id = ? AND id = ?", ARTIFACT, submissionId, artifactId)
                .stream().findFirst();
    }

    public List<LogEntries.Event> events(String id) {
        return jdbc.query("SELECT run_no, from_status, to_status, message, node, occurred_at FROM submission_event "
                        + "WHERE submission_id = ? ORDER BY id",
                (rs, i) -> new LogEntries.Event(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), odt(rs, 6)), id);
    }

    public List<LogEntries.AuthorityOutput> authorityOutputs(String id, int run) {
        return jdbc.query("SELECT name, output_value, created_at FROM authority_output WHERE submission_id = ? AND run_no = ? "
                        + "ORDER BY id",
                (rs, i) -> new LogEntries.AuthorityOutput(rs.getString(1), rs.getString(2), odt(rs, 3)), id, run);
    }

    private static final RowMapper<LogEntries.Artifact> ARTIFACT = (rs, i) -> new LogEntries.Artifact(rs.getLong(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7), odt(rs, 8));

    private static final RowMapper<Submission> SUBMISSION = (rs, i) -> new Submission(rs.getString("id"),
            rs.getString("legal_entity"), rs.getString("country"), rs.getString("document_type"),
            rs.getString("erp_document_id"), rs.getString("content_sha256"), rs.getString("idempotency_key"),
            rs.getString("feature_id"), rs.getString("feature_version"),
            SubmissionStatus.valueOf(rs.getString("status")), Verdict.valueOf(rs.getString("verdict")),
            rs.getString("status_message"), rs.getString("storage_prefix"), rs.getInt("run_no"),
            rs.getString("owner_node"), odt(rs, "lease_until"), rs.getBoolean("cancel_requested"),
            odt(rs, "created_at"), odt(rs, "updated_at"), odt(rs, "finished_at"));

    private static OffsetDateTime odt(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class);
    }

    private static OffsetDateTime odt(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class);
    }

    private static String truncate(String s) {
        return truncate(s, 4000);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
