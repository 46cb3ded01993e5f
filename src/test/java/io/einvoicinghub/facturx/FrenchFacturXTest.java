package io.einvoicinghub.facturx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fr-facturx through the whole hub: a French issuer's document with container pdf becomes a Factur-X EN 16931
 * PDF/A-3 whose embedded factur-x.xml is, byte for byte, the CII the hub validated with the French rules; the
 * PDF passes Mustang's validator and the CII passes the French rule set run again here.
 */
class FrenchFacturXTest extends HubIntegrationTest {

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
    void aFrenchIssuerAskingForAPdfGetsFacturXUnderTheFrenchRules() throws Exception {
        for (String sample : new String[]{"03-mixed-goods-and-services.json", "07-final-invoice-after-down-payment.json"}) {
            ObjectNode submission = sample(Path.of("samples/france/valid", sample));
            ObjectNode context = (ObjectNode) submission.get("context");
            context.put("erpDocumentId", "FR-FX-" + UUID.randomUUID());
            context.putObject("variables").put("container", "pdf");
            var response = post("/api/v1/submissions", text(submission));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            JsonNode done = awaitTerminal(json(response).path("id").asText());

            assertThat(done.path("status").asText()).as(sample + " " + done.path("findings")).isEqualTo("Completed");
            assertThat(done.path("feature").path("id").asText()).isEqualTo("fr-facturx");
            assertThat(StreamSupport.stream(done.path("steps").spliterator(), false).map(s -> s.path("name").asText()))
                    .containsExactly("transform", "validate", "pdf", "validate-pdf", "result");
            byte[] cii = download(done, "factur-x.xml", "output");
            byte[] pdf = download(done, "factur-x.pdf", "result");

            FacturXHybridTest.Embedded embedded = FacturXHybridTest.read(pdf, "factur-x.xml");
            assertThat(embedded.content()).as("embedded XML equals the validated CII").isEqualTo(cii);
            assertThat(FacturXHybridTest.xmp(embedded.xmp(), "fx:ConformanceLevel")).isEqualTo("EN 16931");
            String number = submission.path("document").path("number").asText();
            assertThat(embedded.text()).as("visible page shows the invoice number").contains(number);

            var french = new OfficialRulesValidator().validate("fr.ctc:cii:1.3", SecureXml.parse(cii));
            assertThat(french.findings()).filteredOn(f -> f.isBlocking() || f.ruleId().startsWith("BR-FR")).isEmpty();
            IsolatedMustangValidator.Result mustang = mustangValidator.validate(pdf, "factur-x.pdf");
            assertThat(mustang.valid()).as("Mustang's validator:\n" + mustang.report()).isTrue();
            assertThat(new String(cii, StandardCharsets.UTF_8)).contains("<ram:ID>" + submission.path("document")
                    .path("businessProcessType").asText() + "</ram:ID>");
        }
    }

    private byte[] download(JsonNode done, String name, String kind) {
        JsonNode artifact = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .filter(a -> a.path("name").asText().equals(name) && a.path("kind").asText().equals(kind))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + done.path("artifacts")));
        var file = getBytes(artifact.path("href").asText());
        assertThat(file.statusCode()).isEqualTo(200);
        return file.body();
    }
}
