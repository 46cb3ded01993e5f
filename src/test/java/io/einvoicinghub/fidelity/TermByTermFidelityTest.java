package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every valid sample × every feature, term by term: each business term of the unified JSON is read back from
 * the generated XML through the UBL/CII paths of {@code business-terms.json} and must equal the JSON value
 * (line terms at their line), unless this test lists it as a term the format cannot carry. The reverse holds
 * too: the XML carries no term the JSON lacks, except the values each feature is listed here as adding.
 * The same lists are in docs/unified-model.md ("What each feature cannot carry"). The French features run over
 * samples/france/valid, whose parties carry what the French rules require.
 */
class TermByTermFidelityTest {

    /** JSON pointers (regular expressions) a feature's format cannot carry. */
    static final Map<String, List<Pattern>> NOT_CARRIED = Map.of(
            "peppol-bis-ubl", List.of(),
            "xrechnung-ubl", List.of(),
            // CII D16B holds one InvoiceReferencedDocument in the header settlement: only the first BG-3 is written
            "xrechnung-cii", List.of(Pattern.compile("^/document/precedingInvoices/[1-9]")),
            "en16931-cii", List.of(Pattern.compile("^/document/precedingInvoices/[1-9]")),
            "fr-ubl", List.of(),
            "fr-cii", List.of(Pattern.compile("^/document/precedingInvoices/[1-9]")));

    /** Terms a feature writes without the JSON having them: a default, or a value the syntax requires. */
    static final Map<String, List<String>> ADDED = Map.of(
            // BT-23 default (Peppol billing process); BT-110 = Σ BT-117 when absent (UBL TaxTotal/TaxAmount is
            // mandatory); BT-147 = 0.00 with a gross price but no discount; VAT rate 0 for Z/E/AE/K/G when absent
            "peppol-bis-ubl", List.of("BT-23", "BT-110", "BT-147", "BT-96", "BT-103", "BT-119", "BT-152"),
            "xrechnung-ubl", List.of("BT-23", "BT-110", "BT-147", "BT-96", "BT-103", "BT-119", "BT-152"),
            // BT-23 default (XRechnung requires it); BT-148 = BT-146 + BT-147 when only a discount is given
            "xrechnung-cii", List.of("BT-23", "BT-148"),
            "en16931-cii", List.of("BT-148"),
            // the same stylesheets: BT-23 is the French billing framework the samples give, so it is never added
            "fr-ubl", List.of("BT-110", "BT-147", "BT-96", "BT-103", "BT-119", "BT-152"),
            "fr-cii", List.of("BT-148"));

    static Stream<Arguments> samplesAndFeatures() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("samples/valid"))) {
            for (Path sample : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (PinnedFeature feature : PinnedFeature.ALL) {
                    out.add(Arguments.of(sample.getFileName().toString(), feature));
                }
            }
        }
        // the French features over the French samples (SIREN, SIRET, PA addresses, billing frameworks, legal notes)
        try (Stream<Path> files = Files.list(Path.of("samples/france/valid"))) {
            for (Path sample : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (PinnedFeature feature : PinnedFeature.FRANCE) {
                    out.add(Arguments.of(sample.toString(), feature));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("samplesAndFeatures")
    void everyTermIsWrittenAsGiven(String sample, PinnedFeature feature) {
        JsonNode submission = FeatureRendering.read(sample.contains("/") ? Path.of(sample) : Path.of("samples/valid", sample));
        String documentType = FeatureRendering.documentType(submission);
        JsonNode document = submission.path("document");
        byte[] xml = FeatureRendering.render(feature, submission);

        List<String> normalised = new ArrayList<>();
        if (document.path("taxCurrencyCode").asText().equals(document.path("currencyCode").asText())) {
            // decision 0006: BT-6 = BT-5 means the VAT is accounted in the invoice currency, as without BT-6
            normalised.addAll(List.of("BT-6", "BT-111"));
        }
        assertThat(TermByTerm.compare(document, xml, TermByTerm.syntax(feature, documentType), normalised,
                NOT_CARRIED.get(feature.id()))).as(sample + " via " + feature).isEmpty();
        assertThat(TermByTerm.added(document, xml, TermByTerm.syntax(feature, documentType)))
                .as(sample + " via " + feature + ": terms the JSON does not have")
                .allMatch(d -> ADDED.get(feature.id()).contains(d.termId()));
    }

    /** The one listed gap is real: a second preceding invoice reaches UBL but not CII. */
    @Test
    void ciiCarriesOnePrecedingInvoiceUblAll() {
        ObjectNode submission = (ObjectNode) FeatureRendering.read(Path.of("samples/valid/16-corrected-invoice.json"));
        ArrayNode preceding = (ArrayNode) submission.path("document").path("precedingInvoices");
        preceding.addObject().put("number", "INV-2026-0099").put("issueDate", "2026-10-01");
        for (PinnedFeature feature : PinnedFeature.ALL) {
            List<TermByTerm.Difference> differences = TermByTerm.compare(submission.path("document"),
                    FeatureRendering.render(feature, submission), TermByTerm.syntax(feature, "Invoice"), List.of());
            if (feature.isUbl()) {
                assertThat(differences).as(feature.id()).isEmpty();
            } else {
                assertThat(differences).as(feature.id()).extracting(TermByTerm.Difference::pointer)
                        .containsExactly("/document/precedingInvoices/1/number", "/document/precedingInvoices/1/issueDate");
            }
        }
    }
}
