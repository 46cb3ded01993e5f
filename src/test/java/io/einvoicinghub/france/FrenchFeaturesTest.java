package io.einvoicinghub.france;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
 * The French features through the whole hub (API, queue, worker, storage): every French sample completes in fr-ubl
 * and fr-cii with output that the official French rule set, run again here, finds free of errors and of BR-FR
 * findings; every invalid French sample fails with the BR-FR rule ids its .expected.json names, as errors, each
 * mapped to the unified-JSON field it came from unless it is about the whole document.
 */
class FrenchFeaturesTest extends HubIntegrationTest {

    /** The rule sets the French features must use, written here rather than read from the hub. */
    private static final Map<String, String[]> RULE_SETS = Map.of(
            "fr-ubl", new String[]{"fr.ctc:ubl-invoice:1.3", "fr.ctc:ubl-creditnote:1.3"},
            "fr-cii", new String[]{"fr.ctc:cii:1.3", "fr.ctc:cii:1.3"});

    private static final OfficialRulesValidator OFFICIAL_RULES = new OfficialRulesValidator();

    private static List<Path> files(String folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples/france", folder))) {
            return files.filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> suffix.endsWith(".expected.json") || !p.toString().endsWith(".expected.json")).sorted().toList();
        }
    }

    private String submit(ObjectNode submission, String hint) {
        ObjectNode context = (ObjectNode) submission.get("context");
        context.put("erpDocumentId", context.path("erpDocumentId").asText() + "-" + UUID.randomUUID());
        if (hint != null) {
            context.put("featureHint", hint);
        }
        var response = post("/api/v1/submissions", text(submission));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).path("id").asText();
    }

    @Test
    void everyFrenchSampleCompletesInFrUblAndFrCiiWithOutputTheFrenchRulesAccept() throws Exception {
        List<Path> samples = files("valid", ".json");
        assertThat(samples).hasSizeGreaterThanOrEqualTo(8);
        Map<String, String> submissions = new LinkedHashMap<>();
        for (Path sample : samples) {
            for (String feature : RULE_SETS.keySet()) {
                submissions.put(sample.getFileName() + " via " + feature, submit(sample(sample), feature));
            }
        }
        assertSoftly(softly -> submissions.forEach((label, id) -> {
            JsonNode done = awaitTerminal(id);
            softly.assertThat(done.path("status").asText()).as(label + " " + done.path("findings")).isEqualTo("Completed");
            softly.assertThat(StreamSupport.stream(done.path("findings").spliterator(), false)
                    .map(f -> f.path("ruleId").asText()).filter(r -> r.startsWith("BR-FR"))).as(label).isEmpty();
            String feature = done.path("feature").path("id").asText();
            JsonNode output = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                    .filter(a -> a.path("kind").asText().equals("output")).findFirst().orElseThrow();
            byte[] xml = getBytes(output.path("href").asText()).body();
            String ruleSet = RULE_SETS.get(feature)["CreditNote".equals(done.path("documentType").asText()) ? 1 : 0];
            try {
                ValidationReport report = OFFICIAL_RULES.validate(ruleSet, SecureXml.parse(xml));
                softly.assertThat(report.findings()).as(label + " re-validated with " + ruleSet)
                        .filteredOn(f -> f.isBlocking() || f.ruleId().startsWith("BR-FR")).isEmpty();
            } catch (SecureXml.UnsafeOrMalformedXmlException e) {
                softly.fail(label + ": output is not well-formed XML: " + e.getMessage());
            }
        }));
    }

    @Test
    void everyInvalidFrenchSampleFailsWithItsBrFrRulesAsErrors() throws Exception {
        Map<String, String> submissions = new LinkedHashMap<>();
        Map<String, List<String>> expectedRules = new LinkedHashMap<>();
        Map<String, List<String>> documentLevel = new LinkedHashMap<>();
        for (Path expectation : files("invalid", ".expected.json")) {
            JsonNode expected = sample(expectation);
            Path sample = Path.of(expectation.toString().replace(".expected.json", ".json"));
            for (String feature : List.of("fr-ubl", "fr-cii", "fr-facturx")) {
                String label = sample.getFileName() + " via " + feature;
                submissions.put(label, submit(sample(sample), feature));
                expectedRules.put(label, texts(expected.path("ruleIdsByFeature").path(feature)));
                documentLevel.put(label, texts(expected.path("documentLevelRuleIds")));
            }
        }
        assertThat(submissions).hasSizeGreaterThanOrEqualTo(8 * 3);
        assertSoftly(softly -> submissions.forEach((label, id) -> {
            JsonNode done = awaitTerminal(id);
            softly.assertThat(done.path("status").asText()).as(label).isEqualTo("Failed");
            softly.assertThat(expectedRules.get(label)).as(label + " names its rules").isNotEmpty();
            List<JsonNode> expected = StreamSupport.stream(done.path("findings").spliterator(), false)
                    .filter(f -> expectedRules.get(label).contains(f.path("ruleId").asText())).toList();
            softly.assertThat(expected).extracting(f -> f.path("ruleId").asText()).as(label)
                    .containsAll(expectedRules.get(label));
            expected.forEach(f -> softly.assertThat(f.path("severity").asText()).as(label + " " + f.path("ruleId").asText())
                    .isEqualTo("ERROR"));
            expected.stream().filter(f -> !documentLevel.get(label).contains(f.path("ruleId").asText()))
                    .forEach(f -> softly.assertThat(f.path("sourceField").asText(""))
                            .as(label + " " + f.path("ruleId").asText() + " source field").startsWith("/document/"));
            // nothing invalid becomes a PDF
            softly.assertThat(StreamSupport.stream(done.path("artifacts").spliterator(), false)
                    .map(a -> a.path("name").asText())).as(label).doesNotContain("factur-x.pdf");
        }));
    }

    @Test
    void aFrenchLegalEntityNeedsNoHint() {
        ObjectNode ubl = sample(Path.of("samples/france/valid/01-b2b-goods.json"));
        assertThat(awaitTerminal(submit(ubl, null)).path("feature").path("id").asText()).isEqualTo("fr-ubl");
        ObjectNode cii = sample(Path.of("samples/france/valid/02-b2b-services.json"));
        ((ObjectNode) cii.get("context")).putObject("variables").put("syntax", "CII");
        JsonNode done = awaitTerminal(submit(cii, null));
        assertThat(done.path("feature").path("id").asText()).isEqualTo("fr-cii");
        assertThat(done.path("status").asText()).isEqualTo("Completed");
    }

    @Test
    void theFeaturesListShowsTheFrenchRuleSetsAndTheirBlockingRules() {
        JsonNode features = json(get("/api/v1/features")).path("features");
        for (String id : List.of("fr-ubl", "fr-cii", "fr-facturx")) {
            JsonNode feature = StreamSupport.stream(features.spliterator(), false)
                    .filter(f -> f.path("id").asText().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
            JsonNode validate = StreamSupport.stream(feature.path("steps").spliterator(), false)
                    .filter(s -> s.path("action").asText().equals("validate")).findFirst().orElseThrow();
            assertThat(validate.path("configured").path("blockingRules").asText()).as(id).isEqualTo("BR-FR-.*");
            assertThat(validate.path("configured").toString()).as(id).contains("fr.ctc:");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
