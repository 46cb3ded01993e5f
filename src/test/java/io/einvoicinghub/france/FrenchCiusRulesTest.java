package io.einvoicinghub.france;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.ValidationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The French samples (samples/france) rendered as fr-ubl and fr-cii render them and judged by the official French
 * rule sets (EN 16931 + BR-FR Flux 2, phive fr.ctc 1.3), without starting the hub: every valid sample has no
 * EN 16931 error and no BR-FR finding of any severity (the published BR-FR rules are flagged warning; an issuer
 * must meet them, so a warning is a failure here); every invalid sample raises the BR-FR rule ids its
 * .expected.json names for that syntax.
 */
class FrenchCiusRulesTest {

    static Stream<Arguments> validSamples() throws IOException {
        return samples("valid", ".json").flatMap(sample -> PinnedFeature.FRANCE.stream().map(f -> Arguments.of(sample, f)));
    }

    static Stream<Arguments> invalidSamples() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String expectation : samples("invalid", ".expected.json").toList()) {
            JsonNode byFeature = FeatureRendering.read(Path.of("samples/france/invalid", expectation)).path("ruleIdsByFeature");
            for (PinnedFeature feature : PinnedFeature.FRANCE) {
                if (byFeature.has(feature.id())) {
                    out.add(Arguments.of(expectation.replace(".expected.json", ".json"), feature,
                            StreamSupport.stream(byFeature.path(feature.id()).spliterator(), false).map(JsonNode::asText).toList()));
                }
            }
        }
        return out.stream();
    }

    private static Stream<String> samples(String folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples/france", folder))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .filter(n -> suffix.equals(".expected.json") || !n.endsWith(".expected.json")).sorted().toList().stream();
        }
    }

    private static ValidationReport rendered(String folder, String sample, PinnedFeature feature) {
        JsonNode submission = FeatureRendering.read(Path.of("samples/france", folder, sample));
        String documentType = FeatureRendering.documentType(submission);
        return FeatureRendering.validate(feature, documentType, FeatureRendering.render(feature, submission));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("validSamples")
    void validSampleMeetsEn16931AndEveryFrenchRule(String sample, PinnedFeature feature) {
        ValidationReport report = rendered("valid", sample, feature);
        assertThat(report.findings()).as(sample + " via " + feature)
                .filteredOn(f -> f.isBlocking() || f.ruleId().startsWith("BR-FR"))
                .extracting(f -> f.ruleId() + " " + f.message().strip()).isEmpty();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("invalidSamples")
    void invalidSampleRaisesItsFrenchRules(String sample, PinnedFeature feature, List<String> expectedRuleIds) {
        ValidationReport report = rendered("invalid", sample, feature);
        assertThat(report.findings()).as(sample + " via " + feature).extracting(Finding::ruleId).containsAll(expectedRuleIds);
    }

    @Test
    void thereAreEnoughSamples() throws IOException {
        assertThat(samples("valid", ".json").count()).isGreaterThanOrEqualTo(8);
    }

    private static final org.w3c.dom.Document STUB = stub();

    private static org.w3c.dom.Document stub() {
        try {
            return io.einvoicinghub.validation.SecureXml.parse("<Invoice/>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (io.einvoicinghub.validation.SecureXml.UnsafeOrMalformedXmlException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theFrenchRuleSetsAreRegisteredAndTheNewestIsUsed() {
        OfficialRulesValidator rules = FeatureRendering.RULES;
        assertThat(rules.ruleSetIds()).contains("fr.ctc:ubl-invoice:1.3", "fr.ctc:ubl-creditnote:1.3", "fr.ctc:cii:1.3",
                "fr.ctc:cdar:1.3", "fr.ctc:extended-cii:1.3");
        // the features pin 1.3; "latest" must still be 1.3, or a newer French release was added without them
        for (String ruleSet : List.of("fr.ctc:ubl-invoice", "fr.ctc:ubl-creditnote", "fr.ctc:cii", "fr.ctc:cdar")) {
            assertThat(rules.validate(ruleSet, STUB).ruleSetId()).as(ruleSet).isEqualTo(ruleSet + ":1.3");
        }
    }
}
