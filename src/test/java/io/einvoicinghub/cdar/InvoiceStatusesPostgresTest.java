package io.einvoicinghub.cdar;

import io.einvoicinghub.storage.LocalFolderArtifactStore;
import io.einvoicinghub.storage.StoredArtifact;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.Verdict;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status history and the invoice look-up on PostgreSQL (the production database), from the migrations (V30):
 * rows with and without a submission read back as written; the look-up lists submissions from their stored
 * documents, also when several look-ups run at once, and finds an invoice by SIREN, by a SIRET of that SIREN and by
 * VAT id, never by another seller's id.
 */
class InvoiceStatusesPostgresTest {

    private static final String URL = System.getenv().getOrDefault("HUB_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String SCHEMA = "hub_cdar_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static DriverManagerDataSource dataSource;
    private static JdbcTemplate jdbc;

    @TempDir
    static Path storage;

    @BeforeAll
    static void migrate() {
        dataSource = new DriverManagerDataSource(URL + "?currentSchema=" + SCHEMA, "postgres", "");
        Flyway.configure().dataSource(dataSource).schemas(SCHEMA).createSchemas(true).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void dropSchema() {
        jdbc.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    }

    private static Submission submission(String number, String sellerJson) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String id = UUID.randomUUID().toString();
        Submission s = new Submission(id, "FR01", "FR", "Invoice", "ERP-" + id, "h-" + id, null, "fr-ubl", "1.0.0",
                SubmissionStatus.Completed, Verdict.NotRequested, null, "FR01/2026/12/02/" + id + "/", 1, null, null,
                false, now, now, now);
        LocalFolderArtifactStore store = new LocalFolderArtifactStore(storage);
        StoredArtifact document = store.put(s.storagePrefix() + "01-document.json", ("{\"number\": \"" + number
                + "\", \"issueDate\": \"2026-11-20\", \"seller\": " + sellerJson + "}").getBytes(StandardCharsets.UTF_8),
                "application/json");
        StoredArtifact context = store.put(s.storagePrefix() + "02-context.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        new SubmissionRepository(jdbc).insertWithInputs(s, "n0", document, context);
        return s;
    }

    @Test
    void historyRowsReadBackAsWritten() {
        Submission s = submission("FA-PG-1", "{\"name\": \"A\"}");
        InvoiceStatuses statuses = new InvoiceStatuses(jdbc);
        OffsetDateTime at = OffsetDateTime.parse("2026-12-02T10:15:30+01:00");
        StatusRecord written = statuses.insert(new StatusRecord(0, s.id(), null, StatusRecord.EVENT, StatusRecord.RECORDED,
                "210", "Refusée", at, "BY", "TX_TVA_ERR", "Taux de TVA erroné", null, null, "FA-PG-1", "123456782",
                "FA-PG-1_210_20261202101530", "k/1.xml", "ab12", 1234, 77L, "ok", "erp-fr01", at));
        StatusRecord kept = statuses.insert(new StatusRecord(0, null, null, StatusRecord.RECEIVED, StatusRecord.INVALID,
                null, null, null, null, null, null, null, null, null, null, null, "k/2.xml", "cd34", 10, null,
                "not CDAR", "erp-fr01", at));

        assertThat(statuses.ofSubmission(s.id())).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(written.id());
            assertThat(r.statusCode()).isEqualTo("210");
            assertThat(r.statusLabel()).isEqualTo("Refusée");
            assertThat(r.statusAt().toInstant()).isEqualTo(at.toInstant());
            assertThat(r.reasonCode()).isEqualTo("TX_TVA_ERR");
            assertThat(r.reasonText()).isEqualTo("Taux de TVA erroné");
            assertThat(r.artifactId()).isEqualTo(77L);
            assertThat(r.size()).isEqualTo(1234);
        });
        assertThat(statuses.find(kept.id())).hasValueSatisfying(r -> {
            assertThat(r.submissionId()).isNull();
            assertThat(r.statusCode()).isNull();
            assertThat(r.artifactId()).isNull();
            assertThat(r.outcome()).isEqualTo("invalid");
        });
    }

    @Test
    void invoicesAreFoundBySellerIdsOnlyAndConcurrentLookUpsListEachSubmissionOnce() throws Exception {
        Submission mine = submission("FA-PG-2", "{\"name\": \"Atelier\", \"legalRegistration\": {\"id\": \"12345678200017\"},"
                + " \"vatId\": \"FR32 123456782\"}");
        Submission other = submission("FA-PG-2", "{\"name\": \"Other\", \"legalRegistration\": {\"id\": \"555555555\"}}");
        InvoiceReferences references = new InvoiceReferences(jdbc, new LocalFolderArtifactStore(storage));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> lookUps = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                lookUps.add(pool.submit(() -> references.submissionsOf("FA-PG-2", "123456782")));
            }
            for (Future<List<String>> f : lookUps) {
                assertThat(f.get()).containsExactly(mine.id());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM submission_invoice WHERE invoice_number = 'FA-PG-2'", Integer.class))
                .isEqualTo(2);
        assertThat(references.submissionsOf("FA-PG-2", "FR32123456782")).containsExactly(mine.id());
        assertThat(references.submissionsOf("FA-PG-2", "555555555")).containsExactly(other.id());
        assertThat(references.submissionsOf("FA-PG-2", "999999999")).isEmpty();
        assertThat(references.submissionsOf("FA-PG-3", "123456782")).isEmpty();
    }
}
