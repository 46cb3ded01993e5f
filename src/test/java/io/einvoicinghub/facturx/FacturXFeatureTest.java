package io.einvoicinghub.facturx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hybrid-PDF features through the whole hub: submitted unified JSON -> CII (existing stylesheet, the
 * profile's guideline id) -> phive's official CII rules -> embed-in-pdf -> validate-pdf (Mustang's validator in the
 * hub) -> the PDF is the result. Each PDF, for every profile (EN 16931, EXTENDED, XRECHNUNG), with the hub's rendering
 * or the ERP's own PDF as the visible part, passes Mustang's validator called by the test itself (XML with the
 * profile's Schematron + PDF/A-3), carries byte for byte the CII the hub stored and validated, and shows the invoice
 * number and totals.
 */
class FacturXFeatureTest extends HubIntegrationTest {

    static IsolatedMustangValidator mustangValidator;

    @BeforeAll
    static void startValidator() throws Exception {
        mustangValidator = new IsolatedMustangValidator();
    }

    @AfterAll
    static void closeValidator() throws Exception {
        mustangValidator.close();
    }

    @Test
    void facturXEn16931FromAHint() throws Exception {
        JsonNode done = run("valid/02-standard-and-reduced-rates.json", "facturx-en16931", null);
        assertHybrid(done, "facturx-en16931", "factur-x.xml", "factur-x.pdf", "EN 16931");
    }

    @Test
    void theContainerVariablePicksTheHybridFeature() throws Exception {
        // the sample is for a German public buyer: container pdf makes it ZUGFeRD XRECHNUNG ...
        JsonNode publicBuyer = run("valid/01-standard-rate-sepa-transfer.json", null, "pdf");
        assertHybrid(publicBuyer, "zugferd-xrechnung", "xrechnung.xml", "xrechnung.pdf", "XRECHNUNG");
        // ... and for a business buyer Factur-X EN 16931
        ObjectNode business = sample("valid/01-standard-rate-sepa-transfer.json");
        ((ObjectNode) business.get("context")).with("variables").put("recipientType", "business");
        JsonNode done = run(business, null, "pdf");
        assertHybrid(done, "facturx-en16931", "factur-x.xml", "factur-x.pdf", "EN 16931");
    }

    @Test
    void zugferdXrechnung() throws Exception {
        JsonNode done = run("valid/02-standard-and-reduced-rates.json", "zugferd-xrechnung", null);
        assertHybrid(done, "zugferd-xrechnung", "xrechnung.xml", "xrechnung.pdf", "XRECHNUNG");
    }

    @Test
    void facturXExtendedIsChosenByItsVariableAndCheckedWithTheExtendedSchematron() throws Exception {
        ObjectNode business = sample("valid/02-standard-and-reduced-rates.json");
        ((ObjectNode) business.get("context")).with("variables").put("facturxProfile", "EXTENDED").put("recipientType", "business");
        JsonNode done = run(business, null, "pdf");
        assertHybrid(done, "facturx-extended", "factur-x.xml", "factur-x.pdf", "EXTENDED");
        String cii = new String(download(done, "factur-x.xml", "output"), StandardCharsets.UTF_8);
        assertThat(cii).contains("<ram:ID>urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended</ram:ID>");
        String report = new String(download(done, "pdf-validation.xml", "validation-report"), StandardCharsets.UTF_8);
        assertThat(report).as("the hub's own Mustang report names the EXTENDED profile it checked")
                .contains("urn:factur-x.eu:1p0:extended").contains("<summary status=\"valid\"/>");
    }

    @Test
    void theErpsOwnPdfIsTheVisiblePartAndIsNotRepeatedInsideTheCii() throws Exception {
        ObjectNode submission = sample("valid/02-standard-and-reduced-rates.json");
        String number = submission.path("document").path("number").asText();
        byte[] erpPdf = ErpPdfs.withEmbeddedFont("ERP LAYOUT", "Invoice " + number, "Amount due 1,234.56 EUR");
        ObjectNode visual = ((ObjectNode) submission.get("document")).withArray("supportingDocuments").addObject();
        visual.put("id", "PDF-" + number).put("description", "Invoice as printed by the ERP");
        visual.putObject("attachment").put("content", java.util.Base64.getEncoder().encodeToString(erpPdf))
                .put("mimeCode", "application/pdf").put("filename", "erp-invoice.pdf").put("visualRepresentation", true);

        JsonNode done = run(submission, "facturx-en16931", null);
        assertHybrid(done, "facturx-en16931", "factur-x.xml", "factur-x.pdf", "EN 16931");
        FacturXHybridTest.Embedded embedded = FacturXHybridTest.read(download(done, "factur-x.pdf", "result"), "factur-x.xml");
        assertThat(embedded.text()).as("the visible page is the ERP's").contains("ERP LAYOUT").doesNotContain("Total with VAT");
        assertThat(new String(embedded.content(), StandardCharsets.UTF_8)).as("the visual is not a BG-24 attachment of the CII")
                .doesNotContain("erp-invoice.pdf").doesNotContain("PDF-" + number);
    }

    @Test
    void anErpPdfThatCannotBePdfA3IsRefusedWithTheReason() {
        // the service report of sample 12 uses Helvetica without embedding it: no conversion can make that PDF/A
        ObjectNode submission = sample("valid/12-attachments.json");
        ((ObjectNode) submission.get("context").get("variables")).put("recipientType", "business");
        JsonNode report = submission.path("document").path("supportingDocuments").get(1);
        ((ObjectNode) report.get("attachment")).put("visualRepresentation", true);
        JsonNode done = run(submission, "facturx-en16931", null);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText())
                .contains("The ERP's PDF 'service-report-4711.pdf' (supporting document 'SR-2026-4711') cannot be made PDF/A-3")
                .contains("Helvetica").contains("not embedded");
        assertThat(values(done.path("artifacts"), "name")).doesNotContain("factur-x.pdf");
    }

    @Test
    void anInvalidCiiFailsWithItsFindingsAndNoPdf() {
        JsonNode done = run("invalid/02-payable-amount-wrong.json", "facturx-en16931", null);
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(values(done.path("findings"), "ruleId")).contains("BR-CO-16");
        assertThat(values(done.path("steps"), "name")).doesNotContain("pdf", "result");
        assertThat(values(done.path("artifacts"), "kind")).doesNotContain("result");
        assertThat(values(done.path("artifacts"), "name")).doesNotContain("factur-x.pdf");
    }

    private JsonNode run(String sample, String hint, String container) {
        return run(sample(sample), hint, container);
    }

    private JsonNode run(ObjectNode submission, String hint, String container) {
        ObjectNode context = (ObjectNode) submission.get("context");
        context.put("erpDocumentId", "FX-" + UUID.randomUUID());
        if (hint != null) {
            context.put("featureHint", hint);
        }
        if (container != null) {
            context.with("variables").put("container", container);
        }
        var response = post("/api/v1/submissions", text(submission));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return awaitTerminal(json(response).path("id").asText());
    }

    private void assertHybrid(JsonNode done, String feature, String xmlName, String pdfName, String conformance) throws Exception {
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("feature").path("id").asText()).isEqualTo(feature);
        assertThat(StreamSupport.stream(done.path("steps").spliterator(), false)
                .map(s -> s.path("name").asText() + ":" + s.path("status").asText()))
                .containsExactly("transform:Succeeded", "validate:Succeeded", "pdf:Succeeded", "validate-pdf:Succeeded",
                        "result:Succeeded");
        byte[] cii = download(done, xmlName, "output");
        byte[] pdf = download(done, pdfName, "result");
        assertThat(pdf).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));

        FacturXHybridTest.Embedded embedded = FacturXHybridTest.read(pdf, xmlName);
        assertThat(embedded.content()).as("embedded " + xmlName + " equals the CII the hub validated").isEqualTo(cii);
        assertThat(embedded.relationship()).isEqualTo("Alternative");
        assertThat(FacturXHybridTest.xmp(embedded.xmp(), "fx:ConformanceLevel")).isEqualTo(conformance);
        assertThat(FacturXHybridTest.xmp(embedded.xmp(), "fx:DocumentFileName")).isEqualTo(xmlName);
        String xml = new String(cii, StandardCharsets.UTF_8);
        if (!embedded.text().contains("ERP LAYOUT")) {
            // the hub's rendering: number and totals as the CII states them (amounts with their decimals)
            assertThat(embedded.text()).as("visible page shows the number and the totals")
                    .contains(first(xml, "<rsm:ExchangedDocument>\\s*<ram:ID>([^<]+)</ram:ID>"))
                    .contains(first(xml, "<ram:TaxBasisTotalAmount>([^<]+)</ram:TaxBasisTotalAmount>"))
                    .contains(first(xml, "<ram:TaxTotalAmount[^>]*>([^<]+)</ram:TaxTotalAmount>"))
                    .contains(first(xml, "<ram:GrandTotalAmount>([^<]+)</ram:GrandTotalAmount>"))
                    .contains(first(xml, "<ram:DuePayableAmount>([^<]+)</ram:DuePayableAmount>"));
        }
        // the hub validated the PDF itself: Mustang's report stored, no blocking finding from it in the log
        String hubReport = new String(download(done, "pdf-validation.xml", "validation-report"), StandardCharsets.UTF_8);
        assertThat(hubReport).contains("<summary status=\"valid\"/>");
        assertThat(StreamSupport.stream(done.path("findings").spliterator(), false)
                .filter(f -> f.path("layer").asText().matches("PDF/A-3|Factur-X XML|Mustang"))
                .map(f -> f.path("severity").asText())).doesNotContain("ERROR", "FATAL");

        IsolatedMustangValidator.Result mustang = mustangValidator.validate(pdf, pdfName);
        assertThat(mustang.valid()).as("Mustang's validator:\n" + mustang.report()).isTrue();
    }

    private byte[] download(JsonNode done, String name, String kind) {
        JsonNode artifact = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .filter(a -> a.path("name").asText().equals(name) && a.path("kind").asText().equals(kind))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + done.path("artifacts")));
        var file = getBytes(artifact.path("href").asText());
        assertThat(file.statusCode()).isEqualTo(200);
        return file.body();
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static List<String> values(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }
}
