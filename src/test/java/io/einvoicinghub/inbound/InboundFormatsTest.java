package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.facturx.FacturXEmbedder;
import io.einvoicinghub.facturx.FacturXProfile;
import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The formats beyond plain UBL/CII, through the intake on H2: Factur-X/ZUGFeRD PDFs (made by the hub's own
 * embed-in-pdf with Mustang), signed .p7m envelopes verified with DSS, FatturaPA checked against its official XSD,
 * CFDI 4.0 with its stamp UUID.
 */
class InboundFormatsTest {

    static final InboundProperties.LegalEntityMapping IT01 = new InboundProperties.LegalEntityMapping("IT01",
            java.util.List.of(), java.util.List.of("IT09876543210"), java.util.List.of());

    @TempDir
    Path storage;

    InboundTestBed bed;

    @BeforeEach
    void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:inbound-formats-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).load().migrate();
        bed = new InboundTestBed(ds, storage);
    }

    @Test
    void facturXPdfGivesItsEmbeddedCiiKeepsThePdfAsOriginalAndConverts() throws Exception {
        byte[] cii = rendered("02-standard-and-reduced-rates.json", PinnedFeature.EN16931_CII);
        byte[] pdf = facturX(cii, FacturXProfile.EN16931);

        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("mail", "<m@x>/inv.pdf", "inv.pdf", pdf).receipt();

        assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(r.detectedFormat()).isEqualTo("EN16931_CII");
        assertThat(r.formatDetail()).isEqualTo("urn:cen.eu:en16931:2017, from a PDF (embedded file)");
        assertThat(bed.store.get(r.originalKey())).hasValue(pdf);
        assertThat(bed.store.get(r.storagePrefix() + InboundLayout.CONTENT)).hasValue(cii);
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("open");
            assertThat(e.message()).contains("factur-x.xml").contains("AFRelationship");
        });
        JsonNode unified = UnifiedJson.parse(bed.store.get(r.unifiedKey()).orElseThrow()).path("document");
        JsonNode sample = FeatureRendering.read(Path.of("samples/valid/02-standard-and-reduced-rates.json")).path("document");
        assertThat(unified.path("totals")).isEqualTo(sample.path("totals"));
        assertThat(unified.path("number").asText()).isEqualTo(sample.path("number").asText());
    }

    @Test
    void zugferdXRechnungPdfCarriesXrechnungXml() throws Exception {
        byte[] cii = rendered("03-zero-rated.json", PinnedFeature.XRECHNUNG_CII);

        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("sftp", "/in/x.pdf", "x.pdf",
                facturX(cii, FacturXProfile.XRECHNUNG)).receipt();

        assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(r.detectedFormat()).isEqualTo("XRECHNUNG_CII");
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> assertThat(e.message()).contains("xrechnung.xml"));
    }

    @Test
    void aPdfWithoutEmbeddedXmlFailsClearly() throws Exception {
        byte[] plain = pdf(Map.of());
        byte[] withNotes = pdf(Map.of("notes.txt", "not an invoice".getBytes(StandardCharsets.UTF_8)));
        InboundIntake intake = bed.intake(InboundTestBed.DE01);

        InboundReceipt none = intake.receive("http", "u-1", "scan.pdf", plain).receipt();
        InboundReceipt notes = intake.receive("http", "u-2", "scan2.pdf", withNotes).receipt();

        assertThat(none.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(none.detectedFormat()).isEqualTo("FACTURX_PDF");
        assertThat(none.reason()).isEqualTo("PDF without an embedded invoice: the PDF has no embedded files, so it carries "
                + "no Factur-X/ZUGFeRD/XRechnung XML; send the Factur-X/ZUGFeRD PDF or the XML itself");
        assertThat(notes.reason()).contains("none of the PDF's embedded files [notes.txt]");
        assertThat(bed.store.get(none.originalKey())).hasValue(plain);
    }

    @Test
    void aPdfWhoseEmbeddedXmlIsNoInvoiceFails() throws Exception {
        byte[] pdf = pdf(Map.of("factur-x.xml", "<order xmlns='urn:example'/>".getBytes(StandardCharsets.UTF_8)));
        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("http", "u-3", "o.pdf", pdf).receipt();
        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.reason()).isEqualTo("The PDF's embedded factur-x.xml is no invoice the hub reads: "
                + "XML root {urn:example}order is no invoice format the hub knows");
    }

    @Test
    void aSignedEnvelopeIsVerifiedSignerAndVerdictInTheLog() {
        byte[] xml = rendered("08-document-allowance-and-charges.json", PinnedFeature.PEPPOL_BIS_UBL);

        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("mail", "<s@x>/i.xml.p7m", "i.xml.p7m",
                SignedEnvelopes.p7m(xml)).receipt();

        assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.CONVERTED);
        assertThat(r.formatDetail()).endsWith(", from a signed (.p7m) envelope");
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("open");
            assertThat(e.ruleId()).isEqualTo("SIGNATURE-UNTRUSTED"); // a self-signed test certificate, no trust anchor
            assertThat(e.severity()).isEqualTo("WARNING");
            assertThat(e.message()).contains("by Test Vendor").contains("is intact");
        });
    }

    @Test
    void aSignedEnvelopeWhoseContentWasChangedFailsAndKeepsBoth() {
        byte[] xml = rendered("08-document-allowance-and-charges.json", PinnedFeature.PEPPOL_BIS_UBL);
        byte[] p7m = SignedEnvelopes.p7m(xml);
        byte[] tampered = replaceOnce(p7m, "INV-2026-0108", "INV-2026-0109");

        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("mail", "<t@x>/i.xml.p7m", "i.xml.p7m", tampered).receipt();

        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.reason()).startsWith("The signature by Test Vendor does not verify (")
                .contains("the signed content or the signature was changed after signing");
        assertThat(bed.store.get(r.originalKey())).hasValue(tampered);
        assertThat(new String(bed.store.get(r.storagePrefix() + InboundLayout.CONTENT).orElseThrow(), StandardCharsets.UTF_8))
                .contains("INV-2026-0109");
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> assertThat(e.ruleId()).isEqualTo("SIGNATURE-INVALID"));
        assertThat(bed.receipts.ready("DE01", null, null, 10)).isEmpty();
    }

    @Test
    void fatturaPaIsValidatedAgainstItsXsdItsIdentifiersReadAndItsBuyerRouted() throws Exception {
        byte[] xml = Files.readAllBytes(Path.of("src/test/resources/inbound/fatturapa-fpr12.xml"));

        InboundReceipt r = bed.intake(IT01).receive("sftp", "/in/IT01234567890_00042.xml", "IT01234567890_00042.xml", xml)
                .receipt();

        assertThat(r.detectedFormat()).isEqualTo("FATTURAPA");
        assertThat(r.sellerId()).isEqualTo("VAT:IT01234567890");
        assertThat(r.invoiceNumber()).isEqualTo("FPR-2026/117");
        assertThat(r.issueDate()).isEqualTo("2026-11-25");
        assertThat(r.legalEntity()).isEqualTo("IT01");
        assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.VALID);
        assertThat(r.convertedAt()).isNotNull();
        assertThat(bed.store.get(r.unifiedKey())).isEmpty();
        assertThat(bed.receipts.ready("IT01", null, null, 10)).extracting(InboundReceipt::id).containsExactly(r.id());
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> assertThat(e.message())
                .isEqualTo("FatturaPA invoice FPR-2026/117 of 2026-11-25 from VAT:IT01234567890, valid under "
                        + "it.fatturapa:invoice:1.2.2; not converted to the unified model: offered as the original only"));

        // the same invoice again (another file name, same content from another channel): Duplicate, not offered twice
        InboundReceipt again = bed.intake(IT01).receive("mail", "<it@x>/fattura.xml", "fattura.xml", xml).receipt();
        assertThat(again.status()).isEqualTo(ReceiptStatus.DUPLICATE);
        assertThat(bed.receipts.acknowledge(r.id())).isTrue();
        assertThat(bed.receipts.ready("IT01", null, null, 10)).isEmpty();
    }

    @Test
    void anInvalidFatturaPaFailsWithTheXsdFinding() throws Exception {
        String xml = Files.readString(Path.of("src/test/resources/inbound/fatturapa-fpr12.xml"))
                .replace("<Divisa>EUR</Divisa>", "");

        InboundReceipt r = bed.intake(IT01).receive("sftp", "/in/bad.xml", "bad.xml", xml.getBytes(StandardCharsets.UTF_8))
                .receipt();

        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.reason()).startsWith("Not valid under it.fatturapa:invoice:1.2.2");
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("validate");
            assertThat(e.message()).contains("Divisa");
        });
    }

    @Test
    void cfdiStampUuidSellerNumberAndDateAreRead() {
        String cfdi = """
                <?xml version="1.0" encoding="UTF-8"?>
                <cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital"
                    Version="4.0" Serie="A" Folio="123" Fecha="2026-11-20T10:00:00" Total="116.00" Moneda="MXN">
                  <cfdi:Emisor Rfc="EKU9003173C9" Nombre="ESCUELA KEMPER URGATE" RegimenFiscal="601"/>
                  <cfdi:Receptor Rfc="XAXX010101000" Nombre="PUBLICO EN GENERAL" UsoCFDI="S01"/>
                  <cfdi:Complemento>
                    <tfd:TimbreFiscalDigital Version="1.1" UUID="6F3E2A1B-9C4D-4E5F-8A7B-1C2D3E4F5A6B" FechaTimbrado="2026-11-20T10:01:00"/>
                  </cfdi:Complemento>
                </cfdi:Comprobante>
                """;
        InboundReceipt r = bed.intake(InboundTestBed.DE01).receive("http", "u-mx", "cfdi.xml",
                cfdi.getBytes(StandardCharsets.UTF_8)).receipt();

        assertThat(r.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(r.detectedFormat()).isEqualTo("CFDI_40");
        assertThat(r.formatDetail()).isEqualTo("UUID 6F3E2A1B-9C4D-4E5F-8A7B-1C2D3E4F5A6B");
        assertThat(r.sellerId()).isEqualTo("RFC:EKU9003173C9");
        assertThat(r.invoiceNumber()).isEqualTo("A-123");
        assertThat(r.issueDate()).isEqualTo("2026-11-20");
        assertThat(r.reason()).startsWith("No legal entity is configured for this buyer").contains("XAXX010101000");
        assertThat(bed.receipts.log(r.id())).anySatisfy(e -> assertThat(e.message()).contains("(UUID 6F3E2A1B-9C4D-4E5F-8A7B-1C2D3E4F5A6B)")
                .contains("not validated (no official rule set for CFDI 4.0 in the hub)"));
    }

    @Test
    void ksefFa3IsCheckedAgainstTheMinistrysXsdAndOfferedAsTheOriginal() throws Exception {
        byte[] fa3 = Files.readAllBytes(Path.of("src/test/resources/ksef/fa3-minimal.xml"));
        InboundProperties.LegalEntityMapping pl01 = new InboundProperties.LegalEntityMapping("PL01", java.util.List.of(),
                java.util.List.of("PL3434235649"), java.util.List.of());

        InboundReceipt r = bed.intake(pl01).receive("ksef", "5265877635-20261120-0000000001-00", "fa3.xml", fa3).receipt();
        InboundReceipt bad = bed.intake(pl01).receive("http", "u-fa3", "bad.xml",
                new String(fa3, StandardCharsets.UTF_8).replace("<P_2>FV/2026/11/0001</P_2>", "").getBytes(StandardCharsets.UTF_8))
                .receipt();

        assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.VALID);
        assertThat(r.detectedFormat()).isEqualTo("KSEF_FA3");
        assertThat(r.formatDetail()).isEqualTo("FA (3) 1-0E");
        assertThat(r.sellerId()).isEqualTo("VAT:PL5265877635");
        assertThat(r.invoiceNumber()).isEqualTo("FV/2026/11/0001");
        assertThat(r.issueDate()).isEqualTo("2026-11-20");
        assertThat(r.legalEntity()).isEqualTo("PL01");
        assertThat(bad.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(bad.reason()).startsWith("Not valid under the FA(3) schema schemat_FA(3)_v1-0E.xsd: ").contains("P_6");
    }

    /** The hub's own Factur-X writer (Mustang, decision 0014): the visible PDF rendered from the CII, CII embedded. */
    static byte[] facturX(byte[] cii, FacturXProfile profile) throws Exception {
        FacturXEmbedder embedder = new FacturXEmbedder();
        return embedder.embed(cii, profile, embedder.render(cii));
    }

    /** A one-page PDF with the given embedded files (PDFBox). */
    static byte[] pdf(Map<String, byte[]> attachments) throws Exception {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.addPage(new PDPage());
            if (!attachments.isEmpty()) {
                Map<String, PDComplexFileSpecification> specs = new java.util.TreeMap<>();
                for (var a : attachments.entrySet()) {
                    PDComplexFileSpecification spec = new PDComplexFileSpecification();
                    spec.setFile(a.getKey());
                    spec.setFileUnicode(a.getKey());
                    PDEmbeddedFile file = new PDEmbeddedFile(document, new ByteArrayInputStream(a.getValue()),
                            org.apache.pdfbox.cos.COSName.FLATE_DECODE);
                    file.setSize(a.getValue().length);
                    spec.setEmbeddedFile(file);
                    spec.setEmbeddedFileUnicode(file);
                    specs.put(a.getKey(), spec);
                }
                PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
                tree.setNames(specs);
                PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
                names.setEmbeddedFiles(tree);
                document.getDocumentCatalog().setNames(names);
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    static byte[] replaceOnce(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= bytes.length - f.length; i++) {
            for (int j = 0; j < f.length; j++) {
                if (bytes[i + j] != f[j]) {
                    continue outer;
                }
            }
            byte[] copy = bytes.clone();
            System.arraycopy(t, 0, copy, i, t.length);
            return copy;
        }
        throw new IllegalArgumentException(from + " not found");
    }
}
