package io.einvoicinghub.submission;

import io.einvoicinghub.storage.StoredArtifact;
import io.einvoicinghub.validation.Finding;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations and the repository's compare-and-set transitions on a real PostgreSQL server (the one the
 * machines run on 127.0.0.1:5432; .ci/run starts it if needed), in a schema of its own.
 */
class PostgresSubmissionRepositoryTest {

    private static final String URL = System.getProperty("hub.test.postgres-url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String SCHEMA = "hub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static DriverManagerDataSource dataSource;
    private static SubmissionRepository repository;

    @BeforeAll
    static void migrate() {
        dataSource = new DriverManagerDataSource(URL + "?currentSchema=" + SCHEMA, "postgres", "");
        Flyway.configure().dataSource(dataSource).schemas(SCHEMA).createSchemas(true).load().migrate();
        repository = new SubmissionRepository(new JdbcTemplate(dataSource));
    }

    @AfterAll
    static void dropSchema() {
        new JdbcTemplate(dataSource).execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    }

    private static Submission scheduled(String legalEntity, String erpId, String hash) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return new Submission(UUID.randomUUID().toString(), legalEntity, "DE", "Invoice", erpId, hash, null,
                "xrechnung-ubl", "1.0.0", SubmissionStatus.Scheduled, Verdict.NotRequested, null,
                "LE/2026/11/26/x/", 1, null, null, false, now, now, null);
    }

    @Test
    void onlyOneOfManyConcurrentWorkersClaimsASubmission() throws Exception {
        Submission s = scheduled("LE1", "ERP-" + UUID.randomUUID(), "h1");
        repository.insert(s, "n0");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = java.util.stream.IntStream.range(0, 8)
                    .<Callable<Boolean>>mapToObj(i -> () -> repository.claim(s.id(), 1, "node-" + i,
                            OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5)))
                    .toList();
            long winners = 0;
            for (Future<Boolean> f : pool.invokeAll(claims)) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(repository.findById(s.id()).orElseThrow().status()).isEqualTo(SubmissionStatus.Executing);
    }

    /** Intake's transaction for a first submission under an ERP id: the row and the claim commit together or not at all. */
    @Test
    void ofConcurrentFirstSubmissionsUnderOneErpIdOnlyOneCommits() throws Exception {
        String erpId = "ERP-" + UUID.randomUUID();
        ErpDocumentClaims claims = new ErpDocumentClaims(new JdbcTemplate(dataSource));
        org.springframework.transaction.support.TransactionTemplate tx = new org.springframework.transaction.support.TransactionTemplate(
                new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource));
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Submission s = scheduled("LE1", erpId, "content-" + i);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        tx.executeWithoutResult(t -> {
                            repository.insert(s, "n0");
                            claims.claim(s.legalEntity(), s.erpDocumentId(), s.id());
                        });
                        return "committed";
                    } catch (org.springframework.dao.DuplicateKeyException lost) {
                        return "duplicate";
                    }
                }));
            }
            start.countDown();
            List<String> results = new java.util.ArrayList<>();
            for (Future<String> f : outcomes) {
                results.add(f.get());
            }
            assertThat(results).containsOnly("committed", "duplicate").filteredOn("committed"::equals).hasSize(1);
        } finally {
            pool.shutdown();
        }
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(*) FROM submission WHERE erp_document_id = ?", Integer.class, erpId)).isEqualTo(1);
    }

    @Test
    void aRunEndsInExactlyOneTerminalStatus() {
        Submission s = scheduled("LE1", "ERP-" + UUID.randomUUID(), "h2");
        repository.insert(s, "n0");
        repository.claim(s.id(), 1, "n1", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5));

        assertThat(repository.finish(s.id(), 1, SubmissionStatus.Completed, Verdict.NotRequested, "ok", "n1")).isTrue();
        assertThat(repository.finish(s.id(), 1, SubmissionStatus.Failed, Verdict.NotRequested, "late", "n2")).isFalse();
        assertThat(repository.requestCancel(s.id(), "n1")).contains(SubmissionStatus.Completed);
        assertThat(repository.events(s.id())).extracting(LogEntries.Event::toStatus)
                .containsExactly("Scheduled", "Executing", "Completed");
    }

    @Test
    void sameContentForTheSameDocumentIsOneSubmission() {
        String erpId = "ERP-" + UUID.randomUUID();
        repository.insert(scheduled("LE2", erpId, "same"), "n0");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> repository.insert(scheduled("LE2", erpId, "same"), "n0"))
                .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        assertThat(repository.findByContent("LE2", erpId, "same")).isPresent();
        repository.insert(scheduled("LE2", erpId, "corrected"), "n0");
        assertThat(repository.list(new SubmissionFilter("LE2", null, erpId, null, null, 10, 0))).hasSize(2);
    }

    @Test
    void crashedRunIsRescheduledAndItsPartialLogCleared() {
        Submission s = scheduled("LE3", "ERP-" + UUID.randomUUID(), "h3");
        repository.insert(s, "n0");
        repository.claim(s.id(), 1, "dead-node", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1));
        repository.stepStarted(s.id(), 1, "transform");
        repository.addFindings(s.id(), 1, "validate", List.of(new Finding("x", "BR-01", Finding.Severity.ERROR, "m", "/a", null)));
        repository.addArtifact(s.id(), 1, "out.xml", "output", new StoredArtifact("k", 1, "ab", "application/xml"));

        assertThat(repository.rescheduleExpiredLeases("n1")).containsExactly(s.id());
        assertThat(repository.claim(s.id(), 1, "n1", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5))).isTrue();

        assertThat(repository.steps(s.id(), 1)).isEmpty();
        assertThat(repository.findings(s.id(), 1)).isEmpty();
        assertThat(repository.artifacts(s.id(), 1)).isEmpty();
        assertThat(repository.events(s.id())).extracting(LogEntries.Event::toStatus)
                .containsExactly("Scheduled", "Executing", "Scheduled", "Executing");
    }
}
