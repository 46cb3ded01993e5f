package io.einvoicinghub.inbound;

import io.einvoicinghub.fidelity.PinnedFeature;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbound intake on PostgreSQL (the production database) under concurrency: the same file from the same source
 * seen by eight threads at once is one receipt with one stored original; the same invoice arriving on eight sources at
 * once is offered once, the other seven are Duplicate.
 */
class InboundReceiptsPostgresTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SCHEMA = "hub_inbound_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    Path storage;

    @BeforeAll
    static void migrate() {
        Flyway.configure().dataSource(dataSource()).schemas(SCHEMA).createSchemas(true).load().migrate();
    }

    @AfterAll
    static void dropSchema() {
        new JdbcTemplate(new DriverManagerDataSource(URL, "postgres", "")).execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(URL + "?currentSchema=" + SCHEMA, "postgres", "");
    }

    @Test
    void theSameFileFromTheSameSourceSeenConcurrentlyIsOneReceipt() throws Exception {
        InboundTestBed bed = new InboundTestBed(dataSource(), storage);
        byte[] xml = rendered("09-line-allowances-and-charges.json", PinnedFeature.PEPPOL_BIS_UBL);

        List<InboundIntake.IntakeResult> results = concurrently(8, i ->
                bed.intake(InboundTestBed.DE01).receive("sftp", "/in/same.xml", "same.xml", xml));

        assertThat(results).filteredOn(InboundIntake.IntakeResult::created).hasSize(1);
        assertThat(results).extracting(r -> r.receipt().id()).containsOnly(results.get(0).receipt().id());
        assertThat(bed.jdbc.queryForObject("SELECT COUNT(*) FROM inbound_receipt WHERE source_reference = '/in/same.xml'",
                Integer.class)).isEqualTo(1);
        InboundReceipt receipt = results.get(0).receipt();
        assertThat(bed.receipts.find(receipt.id()).orElseThrow().status()).isEqualTo(ReceiptStatus.CONVERTED);
        // the losers' copies were removed again: one original (and one unified JSON) under the receipts' root
        assertThat(bed.store.list(InboundLayout.ROOT)).filteredOn(k -> k.endsWith(InboundLayout.ORIGINAL)).hasSize(1);
    }

    @Test
    void theSameInvoiceArrivingOnEightSourcesAtOnceIsOfferedOnce() throws Exception {
        InboundTestBed bed = new InboundTestBed(dataSource(), storage);
        byte[] xml = rendered("11-foreign-currency.json", PinnedFeature.XRECHNUNG_UBL);

        List<InboundIntake.IntakeResult> results = concurrently(8, i ->
                bed.intake(InboundTestBed.DE01).receive("mail", "<m" + i + "@example>/inv.xml", "inv.xml", xml));

        assertThat(results).allMatch(InboundIntake.IntakeResult::created);
        assertThat(results).extracting(r -> r.receipt().status())
                .containsOnly(ReceiptStatus.CONVERTED, ReceiptStatus.DUPLICATE)
                .filteredOn(s -> s == ReceiptStatus.CONVERTED).hasSize(1);
        String offered = results.stream().filter(r -> r.receipt().status() == ReceiptStatus.CONVERTED).findFirst()
                .orElseThrow().receipt().id();
        assertThat(results).filteredOn(r -> r.receipt().status() == ReceiptStatus.DUPLICATE)
                .allSatisfy(r -> assertThat(r.receipt().duplicateOf()).isEqualTo(offered));
        assertThat(bed.receipts.ready("DE01", null, null, 100)).extracting(InboundReceipt::invoiceNumber)
                .containsOnlyOnce("INV-2026-0111");
    }

    private interface Task {
        InboundIntake.IntakeResult run(int i) throws Exception;
    }

    private static List<InboundIntake.IntakeResult> concurrently(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<InboundIntake.IntakeResult>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(pool.submit((Callable<InboundIntake.IntakeResult>) () -> {
                start.await();
                return task.run(index);
            }));
        }
        start.countDown();
        List<InboundIntake.IntakeResult> results = new ArrayList<>();
        for (Future<InboundIntake.IntakeResult> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();
        return results;
    }
}
