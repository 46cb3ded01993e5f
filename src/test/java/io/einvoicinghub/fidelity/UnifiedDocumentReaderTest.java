package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.reader.InvoiceSyntax;
import io.einvoicinghub.reader.UnifiedDocumentReader;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The UBL/CII → unified JSON reader: syntax detection, values as found, line groups with their line. */
class UnifiedDocumentReaderTest {

    private static final UnifiedDocumentReader READER = new UnifiedDocumentReader();
    private static final Path PUBLIC = Path.of("src/test/resources/public-samples");

    @Test
    void detectsTheSyntaxFromTheRootElement() throws Exception {
        assertThat(InvoiceSyntax.detect(Files.readAllBytes(PUBLIC.resolve("cen-en16931/ubl/ubl-tc434-example1.xml")))).contains(InvoiceSyntax.UBL_INVOICE);
        assertThat(InvoiceSyntax.detect(Files.readAllBytes(PUBLIC.resolve("cen-en16931/ubl/ubl-tc434-creditnote1.xml")))).contains(InvoiceSyntax.UBL_CREDIT_NOTE);
        assertThat(InvoiceSyntax.detect(Files.readAllBytes(PUBLIC.resolve("cen-en16931/cii/CII_example1.xml")))).contains(InvoiceSyntax.CII);
        assertThat(InvoiceSyntax.detect("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(InvoiceSyntax.detect("not xml".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThatThrownBy(() -> READER.read("<a/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnifiedDocumentReader.UnsupportedDocumentException.class);
    }

    /** The inbound converter's promise: what the reader makes of a valid public invoice is a valid unified document. */
    @Test
    void everyPublicSampleReadsIntoADocumentTheUnifiedSchemaAccepts() throws Exception {
        com.networknt.schema.JsonSchema schema = io.einvoicinghub.model.UnifiedSchemaTest.load();
        java.util.List<Path> files;
        try (java.util.stream.Stream<Path> walk = Files.walk(PUBLIC)) {
            files = walk.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        for (Path file : files) {
            com.fasterxml.jackson.databind.node.ObjectNode submission = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            submission.putObject("context").put("legalEntity", "PUBLIC").put("country", "DE").put("documentType", "Invoice")
                    .put("erpDocumentId", file.getFileName().toString());
            submission.set("document", READER.read(Files.readAllBytes(file)));
            assertThat(schema.validate(submission)).as(file.toString()).isEmpty();
        }
    }

    @Test
    void readsCiiWithDatesAsIsoAndNumbersExact() throws Exception {
        JsonNode d = READER.read(Files.readAllBytes(PUBLIC.resolve("xrechnung-testsuite/01.01a-INVOICE_uncefact.xml")));
        assertThat(d.path("number").asText()).isEqualTo("123456XX");
        assertThat(d.path("typeCode").asText()).isEqualTo("380");
        assertThat(d.path("issueDate").asText()).isEqualTo("2016-04-04");
        assertThat(d.path("businessProcessType").asText()).isEqualTo("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
        JsonNode line = d.path("lines").get(0);
        assertThat(line.path("netAmount").decimalValue()).isEqualTo(new BigDecimal("288.79"));
        assertThat(line.path("unitCode").asText()).isEqualTo("XPP");
        assertThat(line.path("period").path("startDate").asText()).isEqualTo("2016-01-01");
    }

    @Test
    void keepsValuesAsWrittenWithTheirLine() throws Exception {
        byte[] xml = FeatureRendering.render(PinnedFeature.PEPPOL_BIS_UBL, FeatureRendering.read(Path.of("samples/valid/19-credit-transfer-accounts-as-written.json")));
        JsonNode d = READER.read(xml);
        assertThat(d.path("paymentInstructions").path("creditTransfers").get(0).path("accountId").asText()).isEqualTo("NL57 RABO 0107307510");
        assertThat(d.path("paymentInstructions").path("creditTransfers").get(1).path("accountId").asText()).isEqualTo("1234.56.78903");
        // "1000.00" stays 1000.00 (scale 2), and line 2's price discount stays on line 2
        assertThat(d.path("lines").get(0).path("netAmount").decimalValue().scale()).isEqualTo(2);
        assertThat(d.path("lines").get(1).path("price").path("discount").decimalValue()).isEqualTo(new BigDecimal("10.00"));
        assertThat(d.path("lines").get(0).path("price").has("discount")).isFalse();
        assertThat(d.path("notes").get(0).path("subjectCode").asText()).isEqualTo("AAI");
        assertThat(d.path("notes").get(0).path("text").asText()).isEqualTo("Thank you for your order.");
    }
}
