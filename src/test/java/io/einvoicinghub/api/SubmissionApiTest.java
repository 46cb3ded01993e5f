package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The ERP API end to end: submit, poll the log, download files, idempotency, refusals, resubmit, cancel. */
class SubmissionApiTest extends HubIntegrationTest {

    private static ObjectNode uniqueSample() {
        ObjectNode submission = sample("valid/01-standard-rate-sepa-transfer.json");
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "API-" + UUID.randomUUID());
        return submission;
    }

    @Test
    void acceptedSubmissionCompletesWithStepsAndDownloadableFiles() throws Exception {
        HttpResponse<String> response = post("/api/v1/submissions", text(uniqueSample()));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode accepted = json(response);
        assertThat(accepted.path("status").asText()).isEqualTo("Scheduled");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/submissions/" + accepted.path("id").asText());
        assertThat(response.headers().firstValue("user-agent")).isEmpty();

        JsonNode done = awaitTerminal(accepted.path("id").asText());
        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("NotRequested");
        assertThat(done.path("feature").path("id").asText()).isEqualTo("xrechnung-ubl");
        assertThat(done.path("feature").path("version").asText()).isEqualTo("1.0.0");
        assertThat(StreamSupport.stream(done.path("steps").spliterator(), false).map(s -> s.path("name").asText() + ":" + s.path("status").asText()))
                .containsExactly("transform:Succeeded", "validate:Succeeded");
        assertThat(StreamSupport.stream(done.path("history").spliterator(), false).map(h -> h.path("to").asText()))
                .containsExactly("Scheduled", "Executing", "Completed");

        JsonNode artifacts = done.path("artifacts");
        assertThat(StreamSupport.stream(artifacts.spliterator(), false).map(a -> a.path("kind").asText()))
                .containsExactly("input", "input", "output", "validation-report");
        for (JsonNode artifact : artifacts) {
            HttpResponse<byte[]> file = getBytes(artifact.path("href").asText());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).hasSize(artifact.path("size").asInt());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.body())))
                    .isEqualTo(artifact.path("sha256").asText());
            // the predictable layout: legal entity / yyyy/MM/dd / submission id / numbered files
            assertThat(artifact.path("storageKey").asText())
                    .matches("DE01/\\d{4}/\\d{2}/\\d{2}/" + done.path("id").asText() + "/(0[12]-.*|run-1/0[34]-.*)");
            assertThat(Files.exists(dataDir().resolve("storage").resolve(artifact.path("storageKey").asText()))).isTrue();
        }
        String xml = new String(getBytes(artifacts.get(2).path("href").asText()).body());
        assertThat(xml).contains("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0")
                .contains("INV-2026-0101");
        // amounts reach the XML exactly as the ERP wrote them
        assertThat(xml).contains(">1618.40<");
    }

    @Test
    void repeatedSubmissionReturnsTheFirstOne() {
        String body = text(uniqueSample());
        JsonNode first = json(post("/api/v1/submissions", body));
        HttpResponse<String> again = post("/api/v1/submissions", body);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(json(again).path("duplicate").asBoolean()).isTrue();
    }

    @Test
    void idempotencyKeyReturnsTheFirstSubmissionAndRefusesOtherContent() {
        String key = "key-" + UUID.randomUUID();
        ObjectNode submission = uniqueSample();
        JsonNode first = json(post("/api/v1/submissions", text(submission), "Idempotency-Key", key));
        HttpResponse<String> same = post("/api/v1/submissions", text(submission), "Idempotency-Key", key);
        ((ObjectNode) submission.get("document")).put("number", "OTHER-1");
        HttpResponse<String> other = post("/api/v1/submissions", text(submission), "Idempotency-Key", key);

        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(json(same).path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).path("detail").asText()).contains(first.path("id").asText());
    }

    @Test
    void malformedJsonIsRefusedWithItsPosition() {
        HttpResponse<String> response = post("/api/v1/submissions", "{\"context\": {\"legalEntity\": \"DE01\",, }");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(json(response).path("detail").asText()).contains("line 1");
    }

    @Test
    void duplicateKeysInJsonAreRefused() {
        HttpResponse<String> response = post("/api/v1/submissions", "{\"context\": {}, \"context\": {}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("detail").asText()).contains("Duplicate field");
    }

    @Test
    void wrongContentTypeIsRefused() {
        HttpResponse<String> response = post("/api/v1/submissions", text(uniqueSample()), "Content-Type", "text/plain");
        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Test
    void oversizedBodyIsRefusedBeforeParsing() {
        ObjectNode submission = uniqueSample();
        ((ObjectNode) submission.get("document")).put("paymentTerms", "x".repeat(2_100_000));
        HttpResponse<String> response = post("/api/v1/submissions", text(submission));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("detail").asText()).contains("2000000");
    }

    @Test
    void schemaViolationsAreListedByJsonPointer() throws Exception {
        for (Path expectation : Files.newDirectoryStream(Path.of("samples/invalid"), "*.expected.json")) {
            JsonNode expected = sample(expectation);
            if (!expected.path("kind").asText().equals("schema")) {
                continue;
            }
            Path samplePath = Path.of(expectation.toString().replace(".expected.json", ".json"));
            HttpResponse<String> response = post("/api/v1/submissions", Files.readString(samplePath));

            assertThat(response.statusCode()).as(samplePath.toString()).isEqualTo(422);
            var pointers = StreamSupport.stream(json(response).path("errors").spliterator(), false)
                    .map(e -> e.path("pointer").asText()).toList();
            for (JsonNode pointer : expected.path("pointers")) {
                assertThat(pointers).as(samplePath.toString()).anySatisfy(p -> assertThat(p).startsWith(pointer.asText()));
            }
        }
    }

    @Test
    void unknownFeatureIsRefused() {
        ObjectNode submission = uniqueSample();
        ((ObjectNode) submission.get("context")).put("featureHint", "no-such-feature");
        HttpResponse<String> response = post("/api/v1/submissions", text(submission));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("title").asText()).isEqualTo("Unknown feature");
        assertThat(json(response).path("detail").asText()).contains("no-such-feature").contains("xrechnung-ubl");
    }

    @Test
    void documentNoFeatureAppliesToIsRefused() {
        ObjectNode submission = uniqueSample();
        ((ObjectNode) submission.get("context")).put("country", "FR");
        ((ObjectNode) submission.get("context").get("variables")).put("recipientType", "public");
        HttpResponse<String> response = post("/api/v1/submissions", text(submission));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("title").asText()).isEqualTo("No feature applies");
    }

    @Test
    void refusedRequestsCreateNothing() {
        String erpId = "REFUSED-" + UUID.randomUUID();
        ObjectNode submission = uniqueSample();
        ((ObjectNode) submission.get("context")).put("erpDocumentId", erpId).put("featureHint", "no-such-feature");
        post("/api/v1/submissions", text(submission));

        assertThat(json(get("/api/v1/submissions?erpDocumentId=" + erpId)).path("items")).isEmpty();
    }

    @Test
    void batchAnswersEachItem() {
        ObjectNode bad = uniqueSample();
        ((ObjectNode) bad.get("document")).remove("issueDate");
        String batch = "{\"items\": [" + text(uniqueSample()) + "," + text(bad) + "]}";
        HttpResponse<String> response = post("/api/v1/submissions/batch", batch);

        assertThat(response.statusCode()).isEqualTo(207);
        JsonNode results = json(response).path("results");
        assertThat(results.get(0).path("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).path("status").asInt()).isEqualTo(422);
        assertThat(results.get(1).path("problem").path("errors").get(0).path("pointer").asText()).startsWith("/document");
        assertThat(awaitTerminal(results.get(0).path("submission").path("id").asText()).path("status").asText())
                .isEqualTo("Completed");
    }

    @Test
    void listFiltersByLegalEntityAndStatus() {
        ObjectNode submission = uniqueSample();
        String entity = "LE-" + UUID.randomUUID().toString().substring(0, 8);
        ((ObjectNode) submission.get("context")).put("legalEntity", entity);
        String id = json(post("/api/v1/submissions", text(submission))).path("id").asText();
        awaitTerminal(id);

        JsonNode completed = json(get("/api/v1/submissions?legalEntity=" + entity + "&status=Completed"));
        JsonNode failed = json(get("/api/v1/submissions?legalEntity=" + entity + "&status=Failed"));

        assertThat(completed.path("items")).hasSize(1);
        assertThat(completed.path("items").get(0).path("id").asText()).isEqualTo(id);
        assertThat(failed.path("items")).isEmpty();
        assertThat(get("/api/v1/submissions?status=Nonsense").statusCode()).isEqualTo(400);
    }

    @Test
    void finishedSubmissionCanBeResubmittedFromItsStoredInput() {
        String id = json(post("/api/v1/submissions", text(uniqueSample()))).path("id").asText();
        awaitTerminal(id);

        HttpResponse<String> resubmitted = post("/api/v1/submissions/" + id + "/resubmit", "");
        assertThat(resubmitted.statusCode()).isEqualTo(202);
        JsonNode done = awaitTerminal(id);

        assertThat(done.path("run").asInt()).isEqualTo(2);
        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(StreamSupport.stream(done.path("artifacts").spliterator(), false).map(a -> a.path("storageKey").asText()))
                .anySatisfy(k -> assertThat(k).contains("/run-2/03-"));
        assertThat(StreamSupport.stream(done.path("history").spliterator(), false).map(h -> h.path("to").asText()))
                .containsExactly("Scheduled", "Executing", "Completed", "Scheduled", "Executing", "Completed");
    }

    @Test
    void finishedSubmissionCannotBeCanceledAndUnknownIdIs404() {
        String id = json(post("/api/v1/submissions", text(uniqueSample()))).path("id").asText();
        awaitTerminal(id);

        assertThat(post("/api/v1/submissions/" + id + "/cancel", "").statusCode()).isEqualTo(409);
        assertThat(get("/api/v1/submissions/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/submissions/" + id + "/artifacts/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void featuresListShowsParametersOfTheirRoutes() {
        JsonNode features = json(get("/api/v1/features")).path("features");
        assertThat(StreamSupport.stream(features.spliterator(), false).map(f -> f.path("id").asText()))
                .containsExactlyInAnyOrder("peppol-bis-ubl", "xrechnung-ubl", "xrechnung-cii", "en16931-cii", "ksef-fa3",
                        "facturx-en16931", "facturx-extended", "zugferd-xrechnung", "it-fatturapa", "fr-ubl", "fr-cii", "fr-facturx");
        assertThat(features).allSatisfy(f -> {
            assertThat(f.path("routeInstalled").asBoolean()).isTrue();
            // every feature lists its pipeline; those built from the template also its parameters
            assertThat(f.path("steps").size()).as(f.path("id").asText()).isGreaterThanOrEqualTo(2);
            if (!List.of("ksef-fa3", "facturx-en16931", "facturx-extended", "zugferd-xrechnung", "it-fatturapa",
                    "fr-ubl", "fr-cii", "fr-facturx").contains(f.path("id").asText())) {
                assertThat(f.path("parameters").path("invoiceRuleSet").asText()).isNotBlank();
            }
        });
    }

    @Test
    void openApiSpecIsServed() {
        HttpResponse<String> response = get("/api/v1/openapi.yaml");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("openapi: 3");
    }

    @Test
    void unifiedModelSchemaIsServed() {
        HttpResponse<String> response = get("/api/v1/schema/unified-submission.schema.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("$schema").asText()).contains("2020-12");
        assertThat(json(response).path("properties").has("document")).isTrue();
    }

    @Test
    void finishedRunsAndStepDurationsAreMetrics() {
        awaitTerminal(json(post("/api/v1/submissions", text(uniqueSample()))).path("id").asText());

        JsonNode finished = json(get("/actuator/metrics/hub.submissions.finished?tag=status:Completed&tag=feature:xrechnung-ubl"));
        JsonNode validate = json(get("/actuator/metrics/hub.feature.step?tag=step:validate&tag=outcome:Succeeded"));

        assertThat(finished.path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(validate.path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
    }
}
