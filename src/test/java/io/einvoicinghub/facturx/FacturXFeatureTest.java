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
 * profile's guideline id) -> phive's official CII rules -> embed-in-pdf -> the PDF is the result. Each PDF
 * passes Mustang's validator (own class loader) and carries, byte for byte, the CII the hub stored and validated.
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
                .containsExactly("transform:Succeeded", "validate:Succeeded", "pdf:Succeeded", "result:Succeeded");
        byte[] cii = download(done, xmlName, "output");
        byte[] pdf = download(done, pdfName, "result");
        assertThat(pdf).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));

        FacturXHybridTest.Embedded embedded = FacturXHybridTest.read(pdf, xmlName);
        assertThat(embedded.content()).as("embedded " + xmlName + " equals the CII the hub validated").isEqualTo(cii);
        assertThat(embedded.relationship()).isEqualTo("Alternative");
        assertThat(FacturXHybridTest.xmp(embedded.xmp(), "fx:ConformanceLevel")).isEqualTo(conformance);
        assertThat(FacturXHybridTest.xmp(embedded.xmp(), "fx:DocumentFileName")).isEqualTo(xmlName);
        String xml = new String(cii, StandardCharsets.UTF_8);
        assertThat(embedded.text()).as("visible page shows the number and the amount due")
                .contains(first(xml, "<rsm:ExchangedDocument>\\s*<ram:ID>([^<]+)</ram:ID>"))
                .contains(first(xml, "<ram:DuePayableAmount>([^<]+)</ram:DuePayableAmount>"));

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
