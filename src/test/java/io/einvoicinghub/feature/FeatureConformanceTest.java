package io.einvoicinghub.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Every bundled sample through every feature, end to end through the API: valid samples complete and their
 * output passes the official XSD + Schematron (checked again here, independently of the hub's own step);
 * invalid samples fail with the rule ids they were written to break, mapped back to unified-JSON fields.
 * The rule set each feature must use is written down here ({@link PinnedFeature}), not read from the hub, so
 * a feature wired to the wrong rule set fails.
 */
class FeatureConformanceTest extends HubIntegrationTest {

    /**
     * The expected rule sets per feature, pinned in this test; the hub must have exactly these features wired to
     * exactly these rule sets (a new feature fails here until its rule sets are pinned too).
     */
    private Map<String, String[]> ruleSets() {
        Map<String, String[]> pinned = new LinkedHashMap<>();
        for (PinnedFeature feature : PinnedFeature.ALL) {
            pinned.put(feature.id(), new String[]{feature.invoiceRuleSet(), feature.creditNoteRuleSet()});
        }
        Map<String, List<String>> installed = new LinkedHashMap<>();
        List<String> notOnTheRuleSetTemplate = new ArrayList<>();
        for (JsonNode feature : json(get("/api/v1/features")).path("features")) {
            JsonNode parameters = feature.path("parameters");
            if (!parameters.has("invoiceRuleSet")) {
                notOnTheRuleSetTemplate.add(feature.path("id").asText());
                continue;
            }
            installed.put(feature.path("id").asText(), List.of(parameters.path("invoiceRuleSet").asText(),
                    parameters.path("creditNoteRuleSet").asText()));
        }
        Map<String, List<String>> expected = new LinkedHashMap<>();
        pinned.forEach((id, sets) -> expected.put(id, List.of(sets)));
        assertThat(installed).as("installed features and their rule sets").isEqualTo(expected);
        // FA(3) has no Schematron: ksef-fa3 validates with the Ministry's XSD (UnifiedToFa3Test, KsefFeatureTest);
        // the hybrid PDF features validate their CII with one rule set each (FacturXFeatureTest); it-fatturapa validates
        // with the FatturaPA XSD (UnifiedToFatturaPaTest, FatturaPaFeatureTest)
        assertThat(notOnTheRuleSetTemplate).as("features validated otherwise, each covered by its own tests")
                .containsExactlyInAnyOrder("ksef-fa3", "facturx-en16931", "facturx-extended", "zugferd-xrechnung", "it-fatturapa",
                        // the French features treat BR-FR warnings as errors (FrenchFeaturesTest, FrenchCiusRulesTest)
                        "fr-ubl", "fr-cii", "fr-facturx");
        return pinned;
    }

    private static final OfficialRulesValidator OFFICIAL_RULES = new OfficialRulesValidator();

    private static List<Path> files(String folder, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.newDirectoryStream(Path.of("samples", folder), glob).forEach(files::add);
        files.removeIf(p -> p.getFileName().toString().endsWith(".expected.json") && !glob.contains("expected"));
        files.sort(null);
        return files;
    }

    private String submit(Path sample, String feature) {
        ObjectNode submission = sample(sample);
        ObjectNode context = (ObjectNode) submission.get("context");
        context.put("featureHint", feature).put("erpDocumentId", context.path("erpDocumentId").asText() + "-" + feature
                + "-" + UUID.randomUUID());
        HttpResponse<String> response = post("/api/v1/submissions", text(submission));
        assertThat(response.statusCode()).as(sample + " via " + feature + ": " + response.body()).isEqualTo(202);
        return json(response).path("id").asText();
    }

    @Test
    void everyValidSampleCompletesInEveryFeatureWithOfficiallyValidOutput() throws Exception {
        List<Path> samples = files("valid", "*.json");
        assertThat(samples).hasSizeGreaterThanOrEqualTo(13);
        Map<String, String[]> ruleSets = ruleSets();
        Map<String, String> submissions = new LinkedHashMap<>();
        for (Path sample : samples) {
            for (String feature : ruleSets.keySet()) {
                submissions.put(sample.getFileName() + " via " + feature, submit(sample, feature));
            }
        }
        assertSoftly(softly -> submissions.forEach((label, id) -> {
            JsonNode done = awaitTerminal(id);
            List<String> blocking = StreamSupport.stream(done.path("findings").spliterator(), false)
                    .filter(f -> !f.path("severity").asText().equals("WARNING") && !f.path("severity").asText().equals("INFO"))
                    .map(f -> f.path("ruleId").asText() + " " + f.path("message").asText()).toList();
            softly.assertThat(done.path("status").asText()).as(label + " " + blocking).isEqualTo("Completed");
            softly.assertThat(blocking).as(label).isEmpty();

            // the hub's verdict is checked again here with the official rules, on the stored output
            String feature = done.path("feature").path("id").asText();
            JsonNode output = Stream.of(done.path("artifacts")).flatMap(a -> StreamSupport.stream(a.spliterator(), false))
                    .filter(a -> a.path("kind").asText().equals("output")).findFirst().orElseThrow();
            byte[] xml = getBytes(output.path("href").asText()).body();
            String ruleSet = ruleSets.get(feature)["CreditNote".equals(done.path("documentType").asText()) ? 1 : 0];
            try {
                ValidationReport report = OFFICIAL_RULES.validate(ruleSet, SecureXml.parse(xml));
                softly.assertThat(report.blockingRuleIds()).as(label + " re-validated with " + ruleSet).isEmpty();
            } catch (SecureXml.UnsafeOrMalformedXmlException e) {
                softly.fail(label + ": output is not well-formed XML: " + e.getMessage());
            }
        }));
    }

    @Test
    void everyInvalidSampleFailsInEveryFeatureWithItsExpectedRules() throws Exception {
        Map<String, String> submissions = new LinkedHashMap<>();
        Map<String, List<String>> expectedRules = new LinkedHashMap<>();
        Map<String, List<String>> documentLevel = new LinkedHashMap<>();
        for (Path expectation : files("invalid", "*.expected.json")) {
            JsonNode expected = sample(expectation);
            if (!expected.path("kind").asText().equals("business-rules")) {
                continue;
            }
            Path sample = Path.of(expectation.toString().replace(".expected.json", ".json"));
            // a CIUS negative (BR-DE, PEPPOL) names the features it is written for, each with its rule ids
            JsonNode byFeature = expected.path("ruleIdsByFeature");
            for (String feature : ruleSets().keySet()) {
                if (byFeature.isObject() && !byFeature.has(feature)) {
                    continue;
                }
                String label = sample.getFileName() + " via " + feature;
                submissions.put(label, submit(sample, feature));
                expectedRules.put(label, StreamSupport.stream((byFeature.isObject() ? byFeature.path(feature)
                        : expected.path("ruleIds")).spliterator(), false).map(JsonNode::asText).toList());
                documentLevel.put(label, StreamSupport.stream(expected.path("documentLevelRuleIds").spliterator(), false)
                        .map(JsonNode::asText).toList());
            }
        }
        assertThat(submissions).isNotEmpty();
        assertSoftly(softly -> submissions.forEach((label, id) -> {
            JsonNode done = awaitTerminal(id);
            softly.assertThat(done.path("status").asText()).as(label).isEqualTo("Failed");
            List<JsonNode> findings = StreamSupport.stream(done.path("findings").spliterator(), false).toList();
            List<String> ruleIds = findings.stream().map(f -> f.path("ruleId").asText()).toList();
            softly.assertThat(ruleIds).as(label).containsAll(expectedRules.get(label));
            // each expected finding names the unified-JSON field it came from (unless it is about the whole document)
            findings.stream().filter(f -> expectedRules.get(label).contains(f.path("ruleId").asText()))
                    .filter(f -> !documentLevel.get(label).contains(f.path("ruleId").asText()))
                    .forEach(f -> softly.assertThat(f.path("sourceField").asText(""))
                            .as(label + " " + f.path("ruleId").asText() + " source field").startsWith("/document/"));
        }));
    }
}
