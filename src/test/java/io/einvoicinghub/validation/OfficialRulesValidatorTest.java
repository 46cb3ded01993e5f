package io.einvoicinghub.validation;

import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import net.sf.saxon.s9api.Processor;
import org.junit.jupiter.api.Test;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast (stream) validation path reports exactly what phive's standard DOM path reports. */
class OfficialRulesValidatorTest {

    private static final OfficialRulesValidator VALIDATOR = new OfficialRulesValidator();

    private static byte[] ubl(String sample) throws Exception {
        Processor processor = new Processor(false);
        String document = new String(UnifiedJson.write(UnifiedJson.parse(Files.readAllBytes(Path.of(sample))).get("document")),
                StandardCharsets.UTF_8);
        var transformer = processor.newXsltCompiler()
                .compile(new StreamSource(new File("transformations/ubl/unified-to-ubl.xsl"))).load30();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transformer.applyTemplates(new UnifiedJsonToXml(processor).convert(document), processor.newSerializer(out));
        return out.toByteArray();
    }

    private static List<String> keys(ValidationReport report) {
        return report.findings().stream().map(f -> f.ruleId() + " " + f.severity() + " " + f.location()).sorted().toList();
    }

    @Test
    void streamAndDomPathsAgreeOnAnInvalidInvoice() throws Exception {
        byte[] xml = ubl("samples/invalid/03-line-net-total-wrong.json");

        ValidationReport stream = VALIDATOR.validate("eu.peppol.bis3:invoice:2026.5", xml);
        ValidationReport dom = VALIDATOR.validate("eu.peppol.bis3:invoice:2026.5", SecureXml.parse(xml));

        assertThat(stream.blockingRuleIds()).contains("BR-CO-10", "BR-CO-13");
        assertThat(keys(stream)).isEqualTo(keys(dom));
    }

    @Test
    void streamPathFindsSchemaErrorsWithLineNumbersAndRefusesDoctype() throws Exception {
        String broken = new String(ubl("samples/valid/01-standard-rate-sepa-transfer.json"), StandardCharsets.UTF_8)
                .replace("<cbc:IssueDate>", "<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>");

        ValidationReport report = VALIDATOR.validate("de.xrechnung:ubl-invoice:3.0.2", broken.getBytes(StandardCharsets.UTF_8));

        assertThat(report.isValid()).isFalse();
        assertThat(report.findings().get(0).ruleId()).isEqualTo("XSD");
        assertThat(report.findings().get(0).message()).contains("Unknown");
        assertThatThrownBy(() -> VALIDATOR.validate("de.xrechnung:ubl-invoice:3.0.2",
                ("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>" + broken.substring(broken.indexOf("<Invoice")))
                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecureXml.UnsafeOrMalformedXmlException.class);
    }

    @Test
    void documentReadTwiceFromItsSourceGivesTheSameFindingsAndClosesEveryStream() throws Exception {
        byte[] xml = ubl("samples/invalid/03-line-net-total-wrong.json");
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        XmlInput counting = () -> {
            opened.incrementAndGet();
            return new java.io.FilterInputStream(new java.io.ByteArrayInputStream(xml)) {
                @Override
                public void close() throws java.io.IOException {
                    closed.incrementAndGet();
                    super.close();
                }
            };
        };

        ValidationReport streamed = VALIDATOR.validate("de.xrechnung:ubl-invoice:3.0.2", counting);
        ValidationReport bytes = VALIDATOR.validate("de.xrechnung:ubl-invoice:3.0.2", SecureXml.parse(xml));

        assertThat(keys(streamed)).isEqualTo(keys(bytes));
        assertThat(streamed.blockingRuleIds()).contains("BR-CO-10");
        // once into the tree both Schematron layers share (with the safety check), once more by the XSD layer
        assertThat(opened.get()).isEqualTo(2);
        assertThat(closed.get()).isGreaterThanOrEqualTo(opened.get()); // a stream may be closed twice, none left open
    }

    @Test
    void documentFromASourceWithADoctypeIsRefusedBeforeAnyLayerReadsIt() {
        byte[] xxe = "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><Invoice>&e;</Invoice>".getBytes(StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

        assertThatThrownBy(() -> VALIDATOR.validate("de.xrechnung:ubl-invoice:3.0.2", () -> {
            opened.incrementAndGet();
            return new java.io.ByteArrayInputStream(xxe);
        })).isInstanceOf(SecureXml.UnsafeOrMalformedXmlException.class).hasMessageContaining("DOCTYPE");
        assertThat(opened.get()).isEqualTo(1);
    }
}
