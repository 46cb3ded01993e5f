package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.submission.UnifiedJson;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inbound intake on H2: original first, one receipt per source, detection, validation, conversion, routing,
 * duplicates, reprocessing. */
class InboundIntakeTest {

    @TempDir
    Path storage;

    InboundTestBed bed;

    @BeforeEach
    void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:inbound-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).load().migrate();
        bed = new InboundTestBed(ds, storage);
    }

    @Test
    void peppolInvoiceIsStoredValidatedConvertedAndRoutedByBuyerEndpoint() throws Exception {
        byte[] xml = rendered("01-standard-rate-sepa-transfer.json", PinnedFeature.PEPPOL_BIS_UBL);

        InboundIntake.IntakeResult result = bed.intake(InboundTestBed.DE01).receive("sftp", "/in/a.xml", "a.xml", xml);

        InboundReceipt r = result.receipt();
        assertThat(result.created()).isTrue();
        assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(r.detectedFormat()).isEqualTo("PEPPOL_BIS3_UBL");
        assertThat(r.legalEntity()).isEqualTo("DE01");
        assertThat(r.invoiceNumber()).isEqualTo("INV-2026-0101");
        assertThat(r.issueDate()).isEqualTo("2026-11-20");
        assertThat(r.sellerId()).isEqualTo("VAT:DE123456789");
        assertThat(r.convertedAt()).isNotNull();
        assertThat(bed.store.get(r.originalKey())).hasValue(xml);
        JsonNode unified = UnifiedJson.parse(bed.store.get(r.unifiedKey()).orElseThrow());
        JsonNode sample = FeatureRendering.read(Path.of("samples/valid/01-standard-rate-sepa-transfer.json"));
        assertThat(unified.path("document").path("totals")).isEqualTo(sample.path("document").path("totals"));
        assertThat(unified.path("document").path("seller").path("name").asText()).isEqualTo("Nordwind Maschinenbau GmbH");
        assertThat(bed.receipts.log(r.id())).extracting(ReceiptLogEntry::step)
                .containsSubsequence("receive", "detect", "validate", "convert", "route", "offer");
    }

    @Test
    void theSameFileFromTheSameSourceIsTakenOnce() {
        byte[] xml = rendered("02-standard-and-reduced-rates.json", PinnedFeature.PEPPOL_BIS_UBL);
        InboundIntake intake = bed.intake(InboundTestBed.DE01);

        InboundIntake.IntakeResult first = intake.receive("sftp", "/in/b.xml", "b.xml", xml);
        InboundIntake.IntakeResult again = intake.receive("sftp", "/in/b.xml", "b.xml", xml);

        assertThat(again.created()).isFalse();
        assertThat(again.receipt().id()).isEqualTo(first.receipt().id());
        assertThat(bed.jdbc.queryForObject("SELECT COUNT(*) FROM inbound_receipt", Integer.class)).isEqualTo(1);
        assertThat(bed.store.list("_inbound/")).hasSize(2); // one original, one unified JSON
    }

    @Test
    void theSameFileFromAnotherSourceIsADuplicateOfTheFirst() {
        byte[] xml = rendered("03-zero-rated.json", PinnedFeature.PEPPOL_BIS_UBL);
        InboundIntake intake = bed.intake(InboundTestBed.DE01);

        InboundReceipt first = intake.receive("sftp", "/in/c.xml", "c.xml", xml).receipt();
        InboundReceipt second = intake.receive("mail", "<m1@example>/c.xml", "c.xml", xml).receipt();

        assertThat(first.status()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(second.status()).isEqualTo(ReceiptStatus.DUPLICATE);
        assertThat(second.duplicateOf()).isEqualTo(first.id());
        assertThat(second.reason()).contains("same file").contains(first.id());
        assertThat(bed.store.get(second.originalKey())).hasValue(xml);
        assertThat(bed.receipts.ready("DE01", null, null, 10)).extracting(InboundReceipt::id).containsExactly(first.id());
    }

    @Test
    void theSameInvoiceInAnotherSyntaxIsADuplicateBySellerNumberAndDate() {
        InboundIntake intake = bed.intake(InboundTestBed.DE01);
        InboundReceipt ubl = intake.receive("http", "upload-1", "i.xml",
                rendered("04-exempt.json", PinnedFeature.XRECHNUNG_UBL)).receipt();
        InboundReceipt cii = intake.receive("http", "upload-2", "i-cii.xml",
                rendered("04-exempt.json", PinnedFeature.XRECHNUNG_CII)).receipt();

        assertThat(ubl.status()).as(ubl.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(ubl.detectedFormat()).isEqualTo("XRECHNUNG_UBL");
        assertThat(cii.detectedFormat()).isEqualTo("XRECHNUNG_CII");
        assertThat(cii.status()).as(cii.reason()).isEqualTo(ReceiptStatus.DUPLICATE);
        assertThat(cii.duplicateOf()).isEqualTo(ubl.id());
        assertThat(cii.reason()).contains("INV-2026-0104").contains("2026-11-22");
    }

    @Test
    void routingByVatIdAndByGln() {
        InboundIntake intake = bed.intake(InboundTestBed.DE01, InboundTestBed.AT01, InboundTestBed.US01);
        InboundReceipt austria = intake.receive("http", "u-at", null,
                rendered("05-reverse-charge.json", PinnedFeature.EN16931_CII)).receipt();
        InboundReceipt us = intake.receive("http", "u-us", null,
                rendered("07-export-outside-eu.json", PinnedFeature.PEPPOL_BIS_UBL)).receipt();

        assertThat(austria.status()).as(austria.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(austria.detectedFormat()).isEqualTo("EN16931_CII");
        assertThat(austria.legalEntity()).isEqualTo("AT01");
        assertThat(us.legalEntity()).isEqualTo("US01");
    }

    @Test
    void anUnknownBuyerFailsIsKeptAndConvertsOnReprocessAfterTheMappingIsConfigured() {
        byte[] xml = rendered("06-intra-community-supply.json", PinnedFeature.PEPPOL_BIS_UBL);
        InboundReceipt failed = bed.intake(InboundTestBed.DE01).receive("blob", "drop/f.xml", "f.xml", xml).receipt();

        assertThat(failed.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(failed.reason()).contains("No legal entity").contains("FR40303265045").contains("0088:3000123456781");
        assertThat(bed.receipts.ready("DE01", null, null, 10)).isEmpty();
        assertThat(bed.store.get(failed.originalKey())).hasValue(xml);

        InboundProperties.LegalEntityMapping fr01 = new InboundProperties.LegalEntityMapping("FR01", java.util.List.of(),
                java.util.List.of("FR 40303265045"), java.util.List.of());
        InboundReceipt again = bed.intake(InboundTestBed.DE01, fr01).reprocess(failed.id()).orElseThrow();

        assertThat(again.status()).as(again.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(again.legalEntity()).isEqualTo("FR01");
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(bed.receipts.log(failed.id())).extracting(ReceiptLogEntry::step).contains("reprocess");
        assertThatThrownBy(() -> bed.intake(fr01).reprocess(failed.id()))
                .isInstanceOf(InboundIntake.ReceiptNotFailedException.class).hasMessageContaining("Converted");
        assertThat(bed.intake(fr01).reprocess("no-such-id")).isEmpty();
    }

    @Test
    void anInvalidInvoiceFailsWithTheOfficialRuleIdsInTheLog() {
        JsonNode bad = FeatureRendering.read(Path.of("samples/invalid/02-payable-amount-wrong.json"));
        byte[] xml = FeatureRendering.render(PinnedFeature.PEPPOL_BIS_UBL, bad);

        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("http", "u-bad", null, xml).receipt();

        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.reason()).startsWith("Not valid under eu.peppol.bis3:invoice").contains("BR-CO-16");
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("validate");
            assertThat(e.ruleId()).isEqualTo("BR-CO-16");
            assertThat(e.severity()).isIn("ERROR", "FATAL");
        });
    }

    @Test
    void unreadableInputFailsWithAReasonAndTheOriginalIsKept() {
        InboundIntake intake = bed.intake(InboundTestBed.DE01);
        byte[] empty = new byte[0];
        byte[] unknown = "<order xmlns='urn:example'/>".getBytes(StandardCharsets.UTF_8);
        byte[] xxe = ("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                + "<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>&e;</Invoice>").getBytes(StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(rendered("01-standard-rate-sepa-transfer.json", PinnedFeature.PEPPOL_BIS_UBL), 900);
        byte[] pdf = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] binary = new byte[] {1, 2, 3, 4, 5};

        assertFailed(intake.receive("sftp", "/in/empty.xml", "empty.xml", empty).receipt(), empty, "empty file");
        assertFailed(intake.receive("sftp", "/in/u.xml", "u.xml", unknown).receipt(), unknown, "{urn:example}order");
        assertFailed(intake.receive("sftp", "/in/x.xml", "x.xml", xxe).receipt(), xxe, "DOCTYPE");
        assertFailed(intake.receive("sftp", "/in/t.xml", "t.xml", truncated).receipt(), truncated, "Malformed XML");
        assertFailed(intake.receive("sftp", "/in/p.pdf", "p.pdf", pdf).receipt(), pdf, "PDF without an embedded invoice");
        assertFailed(intake.receive("sftp", "/in/b.bin", "../../etc/b.bin", binary).receipt(), binary,
                "neither XML, PDF, zip nor a signed");
        assertThat(bed.receipts.find(intake.receive("sftp", "/in/b.bin", "../../etc/b.bin", binary).receipt().id())
                .orElseThrow().fileName()).isEqualTo("b.bin");
    }

    @Test
    void aSignedEnvelopeIsOpenedAndItsContentKeptBesideTheOriginal() {
        byte[] xml = rendered("08-document-allowance-and-charges.json", PinnedFeature.PEPPOL_BIS_UBL);
        byte[] p7m = SignedEnvelopes.p7m(xml);

        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("mail", "<m2@example>/inv.xml.p7m", "inv.xml.p7m", p7m)
                .receipt();

        assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(bed.store.get(r.originalKey())).hasValue(p7m);
        assertThat(bed.store.get(r.storagePrefix() + InboundLayout.CONTENT)).hasValue(xml);
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> assertThat(e.message()).contains("signed (.p7m) envelope"));
    }

    @Test
    void fatturaPaAndCfdiAreRecognisedAndFailWithWhatIsMissing() {
        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("sftp", "/in/it.xml", "it.xml",
                FormatDetectorTest.fatturaPaXml()).receipt();
        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.detectedFormat()).isEqualTo("FATTURAPA");
        assertThat(r.reason()).startsWith("Not valid under it.fatturapa:invoice:1.2.2"); // a header without parties

    }

    @Test
    void aFileOverTheLimitIsKeptButNotRead() {
        byte[] xml = rendered("01-standard-rate-sepa-transfer.json", PinnedFeature.PEPPOL_BIS_UBL);
        InboundReceipt r = bed.intake(1000, InboundTestBed.DE01).receive("sftp", "/in/big.xml", "big.xml", xml).receipt();
        assertFailed(r, xml, "larger than hub.inbound.max-file-bytes (1000)");
        assertThat(r.detectedFormat()).isNull();
    }

    private void assertFailed(InboundReceipt r, byte[] original, String reason) {
        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.reason()).contains(reason);
        assertThat(bed.store.get(r.originalKey())).hasValue(original);
        assertThat(bed.receipts.log(r.id())).extracting(ReceiptLogEntry::step).contains("receive", "fail");
    }
}
