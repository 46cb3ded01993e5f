package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.reader.UnifiedDocumentReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbound converter's proof on the outbound samples: every bundled valid sample, written out by the UBL feature
 * (Peppol BIS) and by the CII feature (EN 16931), and read back by {@link UnifiedDocumentReader} (what the inbound
 * intake uses), gives back the sample's {@code document}: the same members, the same values (numbers by value),
 * apart from the four values a feature adds or omits by rule ({@link #expectedBack}).
 * The outbound side, each business term written as given, is TermByTermFidelityTest's; public invoices read in are
 * PublicSamplesFidelityTest's — this test closes the loop JSON → XML → JSON.
 */
class SampleRoundTripTest {

    private static final UnifiedDocumentReader READER = new UnifiedDocumentReader(FeatureRendering.PROCESSOR);

    static Stream<Arguments> samplesTimesSyntax() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("samples/valid"))) {
            for (Path sample : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                cases.add(Arguments.of(sample.getFileName().toString(), PinnedFeature.PEPPOL_BIS_UBL));
                cases.add(Arguments.of(sample.getFileName().toString(), PinnedFeature.EN16931_CII));
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("samplesTimesSyntax")
    void unifiedToXmlToUnifiedGivesTheSameDocument(String sample, PinnedFeature feature) throws Exception {
        JsonNode submission = FeatureRendering.read(Path.of("samples/valid", sample));
        byte[] xml = FeatureRendering.render(feature, submission);

        JsonNode back = READER.read(xml);

        assertThat(differences("", expectedBack(submission.path("document"), feature), back)).as("%s via %s: JSON pointers that differ", sample, feature)
                .isEmpty();
    }

    /**
     * The sample's document as the feature writes it: the few values a feature adds or leaves out by the syntax's or
     * specification's own rule, each named here, so that any other difference fails.
     */
    static JsonNode expectedBack(JsonNode document, PinnedFeature feature) {
        ObjectNode expected = document.deepCopy();
        // BT-6 equal to BT-5 is not written (CII and UBL stylesheets write a VAT currency only when it differs)
        if (expected.path("taxCurrencyCode").asText("").equals(expected.path("currencyCode").asText())) {
            expected.remove("taxCurrencyCode");
            ((ObjectNode) expected.path("totals")).remove("taxAmountInTaxCurrency");
        }
        if (feature == PinnedFeature.PEPPOL_BIS_UBL && !expected.has("businessProcessType")) {
            // Peppol BIS requires BT-23; the feature writes the billing process when the ERP gives none
            expected.put("businessProcessType", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
        }
        if (feature.isUbl() && !expected.path("totals").has("taxAmount")) {
            // UBL's cac:TaxTotal/cbc:TaxAmount is mandatory: an absent BT-110 is written as 0.00
            ((ObjectNode) expected.path("totals")).put("taxAmount", new BigDecimal("0.00"));
        }
        if (!feature.isUbl()) {
            // CII carries the price discount (BT-147) inside the gross price: BT-148 = BT-146 + BT-147 is written
            for (JsonNode line : expected.path("lines")) {
                JsonNode price = line.path("price");
                if (price.has("discount") && !price.has("grossAmount")) {
                    ((ObjectNode) price).put("grossAmount", price.path("netAmount").decimalValue().add(price.path("discount").decimalValue()));
                }
            }
        }
        return expected;
    }

    /** The pointers where the two trees differ (missing, extra, or another value; numbers compared by value). */
    static List<String> differences(String at, JsonNode expected, JsonNode actual) {
        List<String> found = new ArrayList<>();
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                found.addAll(differences(at + "/" + name, expected.path(name), actual.path(name)));
            }
        } else if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            while (e.hasNext() || a.hasNext()) {
                found.addAll(differences(at + "/" + i++, e.hasNext() ? e.next() : com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                        a.hasNext() ? a.next() : com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                found.add(at + " (" + expected + " != " + actual + ")");
            }
        } else if (!expected.equals(actual)) {
            found.add(at + " (" + shorten(expected) + " != " + shorten(actual) + ")");
        }
        return found;
    }

    private static String shorten(JsonNode node) {
        String text = node.isMissingNode() ? "missing" : node.toString();
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
