package io.einvoicinghub.fidelity;

import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.FindingSourceMapper;
import io.einvoicinghub.validation.ValidationReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Findings point at the unified-JSON field they concern, also when the rule's text names no business term
 * (XSD errors, CII-SR-461, PEPPOL-EN16931-R120): the finding's location in the generated XML is mapped back
 * through the UBL/CII paths of business-terms.json, with the line index. The XML here is a feature's real
 * output with one deliberate break, validated by the official rules.
 */
class FindingSourceFieldTest {

    private static final FindingSourceMapper MAPPER = FindingSourceMapper.fromClasspath();

    private static List<Finding> findings(PinnedFeature feature, String sample, String from, String to) {
        String xml = new String(FeatureRendering.render(feature, FeatureRendering.read(Path.of("samples/valid", sample))),
                StandardCharsets.UTF_8);
        // 'from' is literal text in which a line break stands for any indentation
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(
                java.util.Arrays.stream(from.split("\n")).map(String::strip).map(java.util.regex.Pattern::quote).reduce((a, b) -> a + "\\s*" + b).orElseThrow());
        assertThat(pattern.matcher(xml).find()).as("output contains " + from).isTrue();
        byte[] broken = pattern.matcher(xml).replaceFirst(java.util.regex.Matcher.quoteReplacement(to)).getBytes(StandardCharsets.UTF_8);
        ValidationReport report = FeatureRendering.validate(feature, "Invoice", broken);
        return MAPPER.map(report.findings().stream().filter(Finding::isBlocking).toList(), broken);
    }

    private static Finding only(List<Finding> findings, String ruleId) {
        assertThat(findings).extracting(Finding::ruleId).contains(ruleId);
        return findings.stream().filter(f -> f.ruleId().equals(ruleId)).findFirst().orElseThrow();
    }

    @Test
    void xsdFindingPointsAtTheElementsField() {
        // the order defect 1 produced: ProprietaryID before AccountName in the second account
        List<Finding> findings = findings(PinnedFeature.EN16931_CII, "19-credit-transfer-accounts-as-written.json",
                "<ram:AccountName>Nordwind Maschinenbau GmbH (NO)</ram:AccountName>\n            <ram:ProprietaryID>1234.56.78903</ram:ProprietaryID>",
                "<ram:ProprietaryID>1234.56.78903</ram:ProprietaryID>\n            <ram:AccountName>Nordwind Maschinenbau GmbH (NO)</ram:AccountName>");
        assertThat(only(findings, "XSD").sourceField()).isEqualTo("/document/paymentInstructions/creditTransfers/1/accountName");
    }

    @Test
    void ruleWithoutATermInItsTextPointsAtTheElementItNames() {
        // defect 2: BT-7 in every VAT breakdown
        List<Finding> findings = findings(PinnedFeature.XRECHNUNG_CII, "20-vat-point-date-two-breakdowns.json",
                "<ram:BasisAmount>360.00</ram:BasisAmount>\n<ram:CategoryCode>S</ram:CategoryCode>",
                "<ram:BasisAmount>360.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>"
                        + "<ram:TaxPointDate><udt:DateString format=\"102\">20261118</udt:DateString></ram:TaxPointDate>");
        assertThat(only(findings, "CII-SR-461").sourceField()).isEqualTo("/document/taxPointDate");
    }

    @Test
    void brDe14PointsAtTheRateOfItsBreakdownNotTheWholeArray() {
        // defect 5: the O breakdown without its rate
        List<Finding> findings = findings(PinnedFeature.XRECHNUNG_UBL, "22-not-subject-to-vat.json",
                "<cbc:ID>O</cbc:ID>\n               <cbc:Percent>0</cbc:Percent>", "<cbc:ID>O</cbc:ID>");
        assertThat(only(findings, "BR-DE-14").sourceField()).isEqualTo("/document/vatBreakdown/0/rate");
    }

    @Test
    void lineRuleKeepsItsLine() {
        List<Finding> findings = findings(PinnedFeature.PEPPOL_BIS_UBL, "01-standard-rate-sepa-transfer.json",
                "<cbc:LineExtensionAmount currencyID=\"EUR\">360.00</cbc:LineExtensionAmount>",
                "<cbc:LineExtensionAmount currencyID=\"EUR\">361.00</cbc:LineExtensionAmount>");
        assertThat(only(findings, "PEPPOL-EN16931-R120").sourceField()).startsWith("/document/lines/1");
        assertThat(only(findings, "BR-CO-10").sourceField()).isEqualTo("/document/totals/lineNetAmount");
    }
}
