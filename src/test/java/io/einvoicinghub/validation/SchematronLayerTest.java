package io.einvoicinghub.validation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's Schematron layers (one shared tree, the SVRL without fired rules, decision 0027) report exactly what
 * phive's own executors report, on the published sample invoices and on rule sets they do not conform to.
 */
class SchematronLayerTest {

    private static final OfficialRulesValidator VALIDATOR = new OfficialRulesValidator();
    /** Every document, however small, has its layers run side by side. */
    private static final OfficialRulesValidator PARALLEL = new OfficialRulesValidator(0);

    private static final List<String> UBL_RULE_SETS = List.of("de.xrechnung:ubl-invoice:3.0.2", "eu.cen.en16931:ubl:1.3.15",
            "eu.peppol.bis3:invoice:2026.5", "fr.ctc:ubl-invoice:1.3");
    private static final List<String> CII_RULE_SETS = List.of("de.xrechnung:cii:3.0.2", "eu.cen.en16931:cii:1.3.15",
            "fr.ctc:cii:1.3");

    /** Everything a finding says, so that any difference shows. */
    private static List<String> findings(ValidationReport report) {
        return report.findings().stream()
                .map(f -> f.layer() + " | " + f.ruleId() + " | " + f.severity() + " | " + f.location() + " | " + f.message())
                .toList();
    }

    private static List<Path> samples(String folder, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/public-samples", folder))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void everyPublishedSampleGetsPhivesFindingsUnderEveryRuleSet() throws Exception {
        List<Path> ubl = new ArrayList<>(samples("cen-en16931/ubl", ".xml"));
        ubl.addAll(samples("xrechnung-testsuite", "_ubl.xml"));
        List<Path> cii = new ArrayList<>(samples("cen-en16931/cii", ".xml"));
        cii.addAll(samples("xrechnung-testsuite", "_uncefact.xml"));
        assertThat(ubl).hasSizeGreaterThan(20);
        assertThat(cii).hasSizeGreaterThan(20);

        int withFindings = 0;
        for (var group : List.of(new Object[] {ubl, UBL_RULE_SETS}, new Object[] {cii, CII_RULE_SETS})) {
            @SuppressWarnings("unchecked") List<Path> files = (List<Path>) group[0];
            @SuppressWarnings("unchecked") List<String> ruleSets = (List<String>) group[1];
            for (Path file : files) {
                byte[] xml = Files.readAllBytes(file);
                if (file.getFileName().toString().contains("creditnote")) {
                    continue; // a credit note against an invoice rule set stops at the schema layer: nothing to compare
                }
                for (String ruleSet : ruleSets) {
                    List<String> phive = findings(VALIDATOR.validateAsPhiveDoes(ruleSet, XmlInput.of(xml)));
                    assertThat(findings(VALIDATOR.validate(ruleSet, xml))).as(file + " under " + ruleSet).isEqualTo(phive);
                    assertThat(findings(PARALLEL.validate(ruleSet, xml))).as(file + " under " + ruleSet + ", layers side by side")
                            .isEqualTo(phive);
                    if (!phive.isEmpty()) {
                        withFindings++;
                    }
                }
            }
        }
        // the comparison means something only if many documents break rules (the CEN examples are not XRechnung)
        assertThat(withFindings).isGreaterThan(20);
    }

    @Test
    void theSchematronLayersOfTheRuleSetsInUseRunOnTheSharedTree() {
        // XSD + EN 16931 + XRechnung, XSD + EN 16931 + Peppol: the Schematron layers are precompiled XSLTs; if phive's
        // custom levels could not be read, they would all fall back to phive's executor (correct, but slow)
        assertThat(VALIDATOR.sharedTreeLayers("de.xrechnung:ubl-invoice:3.0.2")).isEqualTo(2);
        assertThat(VALIDATOR.sharedTreeLayers("de.xrechnung:cii:3.0.2")).isEqualTo(2);
        assertThat(VALIDATOR.sharedTreeLayers("eu.peppol.bis3:invoice:2026.5")).isEqualTo(2);
        assertThat(VALIDATOR.sharedTreeLayers("it.fatturapa:invoice:1.2.2")).isZero(); // an XSD alone
    }

    @Test
    void xrechnungKeepsItsCustomLevelForAnUnknownUnitCode() throws Exception {
        String unknownUnit = Files.readString(Path.of("src/test/resources/public-samples/xrechnung-testsuite/01.01a-INVOICE_ubl.xml"))
                .replaceFirst("unitCode=\"[^\"]+\"", "unitCode=\"Q9Q\"");
        byte[] xml = unknownUnit.getBytes(StandardCharsets.UTF_8);

        // phive's XRechnung configuration lowers EN 16931's BR-CL-23 (unit code list) to a warning
        Finding xrechnung = only(VALIDATOR.validate("de.xrechnung:ubl-invoice:3.0.2", xml), "BR-CL-23");
        Finding en16931 = only(VALIDATOR.validate("eu.cen.en16931:ubl:1.3.15", xml), "BR-CL-23");

        assertThat(xrechnung.severity()).isEqualTo(Finding.Severity.WARNING);
        assertThat(en16931.severity()).isIn(Finding.Severity.ERROR, Finding.Severity.FATAL);
        assertThat(xrechnung.location()).contains("InvoicedQuantity");
    }

    @Test
    void aSchemaErrorLeavesTheSchematronLayersSkippedAsInPhiveAlsoSideBySide() throws Exception {
        String broken = Files.readString(Path.of("src/test/resources/public-samples/xrechnung-testsuite/01.01a-INVOICE_ubl.xml"))
                .replace("<cbc:IssueDate>", "<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>");
        byte[] xml = broken.getBytes(StandardCharsets.UTF_8);

        ValidationReport sideBySide = PARALLEL.validate("de.xrechnung:ubl-invoice:3.0.2", xml);

        assertThat(sideBySide.findings()).isNotEmpty().allSatisfy(f -> assertThat(f.ruleId()).isEqualTo("XSD"));
        assertThat(findings(sideBySide))
                .isEqualTo(findings(VALIDATOR.validateAsPhiveDoes("de.xrechnung:ubl-invoice:3.0.2", XmlInput.of(xml))));
    }

    private static Finding only(ValidationReport report, String ruleId) {
        List<Finding> matching = report.findings().stream().filter(f -> ruleId.equals(f.ruleId())).toList();
        assertThat(matching).as(ruleId + " in " + report.findings()).hasSize(1);
        return matching.get(0);
    }
}
