package io.einvoicinghub.inbound;

import com.sun.net.httpserver.HttpServer;
import io.einvoicinghub.facturx.FacturXProfile;
import io.einvoicinghub.fidelity.PinnedFeature;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input, each a clear Failed receipt with its reason, the original kept, nothing thrown at the channel: zip
 * archives (taken entry by entry) and zip bombs, XML with a DOCTYPE (no entity resolved, no network), PDFs without
 * or with an oversized embedded XML, truncated and empty files, names with {@code ../}.
 */
class InboundBadInputTest {

    private static final long MAX_FILE = 2L * 1024 * 1024;
    private static final ArchiveLimits LIMITS = new ArchiveLimits(5, 4L * 1024 * 1024, 100);

    @TempDir
    Path root;

    Path storage;
    InboundTestBed bed;
    InboundIntake intake;

    @BeforeEach
    void database() throws IOException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:inbound-bad-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).load().migrate();
        storage = Files.createDirectories(root.resolve("storage"));
        bed = new InboundTestBed(ds, storage);
        intake = bed.intake(MAX_FILE, LIMITS, InboundTestBed.DE01);
    }

    @Test
    void aZipOfInvoicesBecomesOneReceiptPerFile() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("invoices/a.xml", rendered("01-standard-rate-sepa-transfer.json", PinnedFeature.PEPPOL_BIS_UBL));
        files.put("invoices/b.xml", rendered("02-standard-and-reduced-rates.json", PinnedFeature.XRECHNUNG_CII));
        files.put("readme.txt", "not an invoice".getBytes(StandardCharsets.UTF_8));
        byte[] zip = zip(files);

        InboundReceipt archive = intake.receive("sftp", "/in/batch.zip", "batch.zip", zip).receipt();

        assertThat(archive.status()).as(archive.reason()).isEqualTo(ReceiptStatus.UNPACKED);
        assertThat(archive.detectedFormat()).isEqualTo("ZIP_ARCHIVE");
        assertThat(bed.store.get(archive.originalKey())).hasValue(zip);
        List<InboundReceipt> entries = receiptsFrom("/in/batch.zip!/");
        assertThat(entries).extracting(InboundReceipt::sourceReference).containsExactlyInAnyOrder(
                "/in/batch.zip!/invoices/a.xml", "/in/batch.zip!/invoices/b.xml", "/in/batch.zip!/readme.txt");
        assertThat(entries).filteredOn(r -> r.fileName().equals("a.xml")).singleElement()
                .satisfies(r -> assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.CONVERTED));
        assertThat(entries).filteredOn(r -> r.fileName().equals("b.xml")).singleElement()
                .satisfies(r -> assertThat(r.detectedFormat()).isEqualTo("XRECHNUNG_CII"));
        assertThat(entries).filteredOn(r -> r.fileName().equals("readme.txt")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED));
        assertThat(bed.receipts.log(archive.id())).filteredOn(e -> e.message().contains(" is receipt ")).hasSize(3);
        assertThat(bed.receipts.ready("DE01", null, null, 10)).hasSize(2);

        // the same archive from the same place again: taken once, no second set of entries
        intake.receive("sftp", "/in/batch.zip", "batch.zip", zip);
        assertThat(receiptsFrom("/in/batch.zip!/")).hasSize(3);
    }

    @Test
    void aZipBombIsKeptAndFailedWithoutTakingAnyEntry() throws Exception {
        byte[] zeros = new byte[3 * 1024 * 1024]; // 3 MiB of zeros deflate to ~3 KB: a thousandfold
        byte[] bomb = zip(Map.of("a.xml", zeros));

        InboundReceipt r = intake.receive("sftp", "/in/bomb.zip", "bomb.zip", bomb).receipt();

        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.reason()).startsWith("Zip archive not unpacked: its files inflate to more than 100 times the archive's "
                + bomb.length + " bytes (hub.inbound.archives.max-ratio)").endsWith("the archive is kept, no entry was taken");
        assertThat(bed.store.get(r.originalKey())).hasValue(bomb);
        assertThat(receiptsFrom("/in/bomb.zip!/")).isEmpty();
    }

    @Test
    void archiveLimitsOnEntriesTotalSizeAndEntrySize() throws Exception {
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            many.put("f" + i + ".xml", ("<x>" + i + "</x>").getBytes(StandardCharsets.UTF_8));
        }
        InboundReceipt tooMany = intake.receive("sftp", "/in/many.zip", "many.zip", zip(many)).receipt();
        Map<String, byte[]> large = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            large.put("r" + i + ".bin", random(400 * 1024));
        }
        InboundReceipt tooLarge = bed.intake(MAX_FILE, new ArchiveLimits(5, 1024L * 1024, 100), InboundTestBed.DE01)
                .receive("sftp", "/in/large.zip", "large.zip", zip(large)).receipt();
        InboundReceipt bigEntry = intake.receive("sftp", "/in/entry.zip", "entry.zip",
                zip(Map.of("big.bin", hex((int) MAX_FILE + 1)))).receipt(); // hex deflates to about half: no bomb

        assertThat(tooMany.reason()).startsWith("Zip archive not unpacked: more than 5 files (hub.inbound.archives.max-entries)");
        assertThat(tooLarge.reason()).startsWith("Zip archive not unpacked: its files inflate to more than 1048576 bytes "
                + "(hub.inbound.archives.max-total-bytes)");
        assertThat(bigEntry.reason()).startsWith("Zip archive not unpacked: entry big.bin inflates to more than 2097152 bytes "
                + "(hub.inbound.max-file-bytes)");
        assertThat(bed.jdbc.queryForObject("SELECT COUNT(*) FROM inbound_receipt", Integer.class)).isEqualTo(3);
    }

    @Test
    void aZipInsideAZipIsNotUnpacked() throws Exception {
        byte[] inner = zip(Map.of("a.xml", rendered("03-zero-rated.json", PinnedFeature.PEPPOL_BIS_UBL)));
        InboundReceipt outer = intake.receive("mail", "<z@x>/outer.zip", "outer.zip", zip(Map.of("inner.zip", inner))).receipt();

        assertThat(outer.status()).isEqualTo(ReceiptStatus.UNPACKED);
        InboundReceipt nested = receiptsFrom("<z@x>/outer.zip!/").get(0);
        assertThat(nested.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(nested.reason()).startsWith("A zip archive inside a zip archive is not unpacked");
        assertThat(bed.store.get(nested.originalKey())).hasValue(inner);
    }

    @Test
    void namesWithDotDotNeverReachAPathOutsideStorage() throws Exception {
        byte[] xml = rendered("04-exempt.json", PinnedFeature.PEPPOL_BIS_UBL);
        InboundReceipt direct = intake.receive("http", "../../../etc/passwd", "../../outside.xml", xml).receipt();
        InboundReceipt archive = intake.receive("sftp", "/in/evil.zip", "evil.zip",
                zip(Map.of("../../../../escaped.xml", rendered("05-reverse-charge.json", PinnedFeature.PEPPOL_BIS_UBL)))).receipt();
        InboundReceipt entry = receiptsFrom("/in/evil.zip!/").get(0);

        assertThat(direct.fileName()).isEqualTo("outside.xml");
        assertThat(entry.fileName()).isEqualTo("escaped.xml");
        assertThat(archive.status()).isEqualTo(ReceiptStatus.UNPACKED);
        assertThat(direct.storagePrefix()).startsWith("_inbound/").doesNotContain("..");
        assertThat(entry.storagePrefix()).startsWith("_inbound/").doesNotContain("..");
        try (Stream<Path> outside = Files.walk(root)) {
            assertThat(outside.filter(Files::isRegularFile).filter(p -> !p.startsWith(storage)).toList()).isEmpty();
        }
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("outside.xml", "escaped.xml", "passwd");
        }
    }

    @Test
    void xmlWithADoctypeResolvesNoEntityAndTouchesNoNetwork() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] dtd = "<!ENTITY leak 'leaked'>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, dtd.length);
            exchange.getResponseBody().write(dtd);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil.dtd";
            byte[] external = ("<?xml version='1.0'?><!DOCTYPE Invoice SYSTEM '" + url + "'>"
                    + "<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>&leak;</Invoice>").getBytes(StandardCharsets.UTF_8);
            byte[] parameter = ("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY % p SYSTEM '" + url + "'> %p;]>"
                    + "<CrossIndustryInvoice xmlns='urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100'/>").getBytes(StandardCharsets.UTF_8);
            byte[] laughs = ("<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'lol'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
                    + "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]><l>&d;</l>").getBytes(StandardCharsets.UTF_8);
            byte[] signedXxe = SignedEnvelopes.p7m(external);

            for (byte[] bad : List.of(external, parameter, laughs, signedXxe)) {
                InboundReceipt r = intake.receive("http", "u-" + UUID.randomUUID(), "x.xml", bad).receipt();
                assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
                assertThat(r.reason()).contains("DOCTYPE");
                assertThat(bed.store.get(r.originalKey())).hasValue(bad);
            }
            assertThat(requests).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPdfWhoseEmbeddedXmlInflatesOverTheLimitIsNotRead() throws Exception {
        byte[] padded = ("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>"
                + " ".repeat((int) MAX_FILE) + "</Invoice>").getBytes(StandardCharsets.UTF_8);
        byte[] pdf = InboundFormatsTest.pdf(Map.of("factur-x.xml", padded)); // PDFBox deflates it to a few KB

        InboundReceipt r = intake.receive("http", "u-pdf-bomb", "b.pdf", pdf).receipt();

        assertThat(pdf.length).isLessThan(100_000);
        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.reason()).contains("the embedded factur-x.xml inflates to more than 2097152 bytes");
    }

    @Test
    void truncatedFilesFailWithAReason() throws Exception {
        byte[] pdf = InboundFormatsTest.facturX(rendered("01-standard-rate-sepa-transfer.json", PinnedFeature.EN16931_CII),
                FacturXProfile.EN16931);
        byte[] pdfHead = Arrays.copyOf(pdf, 2000);
        byte[] p7m = SignedEnvelopes.p7m(rendered("01-standard-rate-sepa-transfer.json", PinnedFeature.PEPPOL_BIS_UBL));
        byte[] p7mHead = Arrays.copyOf(p7m, p7m.length / 2);
        byte[] zip = zip(Map.of("a.xml", rendered("01-standard-rate-sepa-transfer.json", PinnedFeature.PEPPOL_BIS_UBL)));
        byte[] zipHead = Arrays.copyOf(zip, zip.length / 2);

        InboundReceipt pdfReceipt = intake.receive("http", "t-pdf", "t.pdf", pdfHead).receipt();
        InboundReceipt p7mReceipt = intake.receive("http", "t-p7m", "t.p7m", p7mHead).receipt();
        InboundReceipt zipReceipt = intake.receive("http", "t-zip", "t.zip", zipHead).receipt();

        assertThat(pdfReceipt.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(pdfReceipt.reason()).startsWith("PDF without an embedded invoice");
        assertThat(p7mReceipt.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(p7mReceipt.reason()).startsWith("Unknown format: neither XML, PDF, zip nor a signed (.p7m) envelope");
        assertThat(zipReceipt.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(zipReceipt.reason()).startsWith("Zip archive not unpacked: it cannot be read as a zip archive");
        for (InboundReceipt r : List.of(pdfReceipt, p7mReceipt, zipReceipt)) {
            assertThat(bed.store.get(r.originalKey())).isPresent();
        }
    }

    @Test
    void emptyFilesAndEmptyArchives() throws Exception {
        InboundReceipt empty = intake.receive("sftp", "/in/e.xml", "e.xml", new byte[0]).receipt();
        InboundReceipt emptyZip = intake.receive("sftp", "/in/e.zip", "e.zip", zip(Map.of())).receipt();

        assertThat(empty.reason()).isEqualTo("Unknown format: empty file");
        assertThat(emptyZip.reason()).startsWith("Zip archive not unpacked: it holds no files");
        assertThat(bed.store.get(empty.originalKey())).hasValue(new byte[0]);
    }

    private List<InboundReceipt> receiptsFrom(String prefix) {
        return bed.jdbc.queryForList("SELECT id FROM inbound_receipt WHERE source_reference LIKE ? ORDER BY source_reference",
                String.class, prefix + "%").stream().map(id -> bed.receipts.find(id).orElseThrow()).toList();
    }

    static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] hex(int size) {
        return java.util.HexFormat.of().formatHex(random(size / 2 + 1)).substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        return bytes;
    }
}
