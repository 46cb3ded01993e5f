package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.reader.InvoiceSyntax;
import io.einvoicinghub.reader.UnifiedDocumentReader;
import io.einvoicinghub.validation.ValidationReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Real public invoices (CEN EN 16931 examples, XRechnung test-suite business cases; see the README beside them)
 * read into unified JSON with the hub's reader and sent through every feature. Where the original is valid under
 * the rule set that corresponds to the feature (the same CIUS in the original's syntax), the hub's output must be
 * valid too; and every term read back from the output equals the term read from the original, except what the
 * feature is listed as unable to carry or as adding ({@link TermByTermFidelityTest}).
 */
class PublicSamplesFidelityTest {

    static final Path FOLDER = Path.of("src/test/resources/public-samples");
    static final Set<String> CREDIT_NOTE_CODES = Set.of("381", "396", "81", "83", "532");
    static final UnifiedDocumentReader READER = new UnifiedDocumentReader(FeatureRendering.PROCESSOR);

    static Stream<String> originals() throws IOException {
        try (Stream<Path> files = Files.walk(FOLDER)) {
            return files.filter(p -> p.toString().endsWith(".xml")).map(p -> FOLDER.relativize(p).toString()).sorted().toList().stream();
        }
    }

    /** The feature's rule set in the original's syntax: what says whether the original itself meets that CIUS. */
    static String counterpart(PinnedFeature feature, InvoiceSyntax syntax) {
        boolean cn = syntax == InvoiceSyntax.UBL_CREDIT_NOTE;
        return switch (feature.id()) {
            case "peppol-bis-ubl" -> syntax.isUbl() ? feature.ruleSet(cn ? "CreditNote" : "Invoice") : null; // Peppol BIS has no CII
            case "xrechnung-ubl", "xrechnung-cii" -> syntax == InvoiceSyntax.CII ? "de.xrechnung:cii:3.0.2"
                    : cn ? "de.xrechnung:ubl-creditnote:3.0.2" : "de.xrechnung:ubl-invoice:3.0.2";
            case "en16931-cii" -> syntax == InvoiceSyntax.CII ? "eu.cen.en16931:cii:1.3.16"
                    : cn ? "eu.cen.en16931:ubl-creditnote:1.3.16" : "eu.cen.en16931:ubl:1.3.16";
            default -> throw new IllegalArgumentException(feature.id());
        };
    }

    /** How many original × feature pairs had their output's validity asserted (the original being valid). */
    static final java.util.concurrent.atomic.AtomicInteger VALIDITY_ASSERTED = new java.util.concurrent.atomic.AtomicInteger();

    @org.junit.jupiter.api.AfterAll
    static void someOriginalsWereValidUnderTheirFeaturesRules() {
        System.out.println("public samples: output validity asserted for " + VALIDITY_ASSERTED.get() + " original x feature pairs");
        assertThat(VALIDITY_ASSERTED.get()).isGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("originals")
    void publicInvoiceThroughEveryFeature(String name) throws Exception {
        byte[] original = Files.readAllBytes(FOLDER.resolve(name));
        InvoiceSyntax syntax = InvoiceSyntax.detect(original).orElseThrow();
        ObjectNode document = READER.read(original);
        String documentType = syntax.documentType() != null ? syntax.documentType()
                : CREDIT_NOTE_CODES.contains(document.path("typeCode").asText()) ? "CreditNote" : "Invoice";
        ObjectNode submission = JsonNodeFactory.instance.objectNode();
        submission.putObject("context").put("legalEntity", "PUBLIC").put("country", "DE").put("documentType", documentType)
                .put("erpDocumentId", name);
        submission.set("document", document);

        assertSoftly(softly -> {
            for (PinnedFeature feature : PinnedFeature.ALL) {
                String label = name + " via " + feature;
                byte[] output = FeatureRendering.render(feature, submission);
                String counterpart = counterpart(feature, syntax);
                if (counterpart != null && FeatureRendering.RULES.validate(counterpart, parseQuiet(original)).isValid()) {
                    VALIDITY_ASSERTED.incrementAndGet();
                    ValidationReport report = FeatureRendering.validate(feature, documentType, output);
                    softly.assertThat(report.findings().stream().filter(f -> f.isBlocking()).map(f -> f.ruleId() + " " + f.message()).toList())
                            .as(label + ": the original is valid under " + counterpart + ", the hub's output must be valid too").isEmpty();
                }
                JsonNode readBack = readQuiet(output);
                List<TermByTerm.Difference> differences = new ArrayList<>(TermByTerm.compareDocuments(document, readBack,
                        TermByTermFidelityTest.NOT_CARRIED.get(feature.id())));
                if (document.path("taxCurrencyCode").asText().equals(document.path("currencyCode").asText())) {
                    differences.removeIf(d -> Set.of("BT-6", "BT-111").contains(d.termId())); // decision 0006
                }
                softly.assertThat(differences).as(label + ": terms of the original the output changed or lost").isEmpty();
                softly.assertThat(TermByTerm.compareDocuments(readBack, document, List.of()))
                        .as(label + ": terms the output has and the original has not")
                        .allMatch(d -> d.found() == null && TermByTermFidelityTest.ADDED.get(feature.id()).contains(d.termId()));
            }
        });
    }

    private static org.w3c.dom.Document parseQuiet(byte[] xml) {
        try {
            return io.einvoicinghub.validation.SecureXml.parse(xml);
        } catch (io.einvoicinghub.validation.SecureXml.UnsafeOrMalformedXmlException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readQuiet(byte[] xml) {
        try {
            return READER.read(xml);
        } catch (UnifiedDocumentReader.UnsupportedDocumentException e) {
            throw new IllegalStateException(e);
        }
    }
}
