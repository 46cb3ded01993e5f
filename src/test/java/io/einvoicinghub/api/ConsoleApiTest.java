package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The API operations added for the web console, over HTTP against the whole hub. */
class ConsoleApiTest extends HubIntegrationTest {

    private final String entity = "CA" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    private String submit(String sample) {
        ObjectNode submission = sample(sample);
        ((ObjectNode) submission.get("context")).put("legalEntity", entity).put("erpDocumentId", "CA-" + UUID.randomUUID());
        HttpResponse<String> accepted = post("/api/v1/submissions", text(submission));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted).path("id").asText();
    }

    @Test
    void countsListFiltersAndUsageOfOneLegalEntity() {
        awaitTerminal(submit("valid/02-standard-and-reduced-rates.json"));
        awaitTerminal(submit("invalid/01-tax-inclusive-total-wrong.json"));

        JsonNode counts = json(get("/api/v1/submissions/counts?legalEntity=" + entity + "&status=Failed"));
        assertThat(counts.path("total").asLong()).as("the status filter is ignored by the counts").isEqualTo(2);
        assertThat(counts.path("byStatus").path("Completed").asLong()).isEqualTo(1);
        assertThat(counts.path("byStatus").path("Failed").asLong()).isEqualTo(1);
        assertThat(counts.path("byStatus").path("Pending").asLong()).isZero();

        assertThat(json(get("/api/v1/submissions?legalEntity=" + entity + "&verdict=notrequested")).path("items")).hasSize(2);
        assertThat(json(get("/api/v1/submissions?legalEntity=" + entity + "&verdict=Accepted")).path("items")).isEmpty();
        assertThat(json(get("/api/v1/submissions?legalEntity=" + entity + "&feature=xrechnung-ubl")).path("items")).hasSize(2);
        assertThat(json(get("/api/v1/submissions?legalEntity=" + entity + "&feature=peppol-bis-ubl")).path("items")).isEmpty();
        HttpResponse<String> badVerdict = get("/api/v1/submissions?verdict=Maybe");
        assertThat(badVerdict.statusCode()).isEqualTo(400);
        assertThat(json(badVerdict).path("title").asText()).isEqualTo("Invalid query");

        JsonNode usage = json(get("/api/v1/usage?legalEntity=" + entity + "&bucket=week"));
        assertThat(usage.path("documents").asLong()).isEqualTo(2);
        assertThat(usage.path("failed").asLong()).isEqualTo(1);
        assertThat(usage.path("failureRate").asDouble()).isEqualTo(0.5);
        assertThat(usage.path("processingMillis").path("p95").asLong())
                .isGreaterThanOrEqualTo(usage.path("processingMillis").path("p50").asLong()).isPositive();
        assertThat(usage.path("counts")).hasSize(2).allSatisfy(c -> {
            assertThat(LocalDate.parse(c.path("period").asText()).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
            assertThat(c.path("legalEntity").asText()).isEqualTo(entity);
            assertThat(c.path("documents").asLong()).isEqualTo(1);
        });
        assertThat(usage.path("topRules").get(0).path("ruleId").asText()).isEqualTo("BR-CO-15");
        assertThat(usage.path("topRules").get(0).path("documents").asLong()).isEqualTo(1);

        assertThat(get("/api/v1/usage?bucket=month").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/usage?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/usage?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z").statusCode()).isEqualTo(400);
    }

    @Test
    void zipHoldsTheInputsAndEveryFileOfTheRunWithTheLoggedDigests() throws IOException, NoSuchAlgorithmException {
        JsonNode log = awaitTerminal(submit("valid/04-exempt.json"));
        HttpResponse<byte[]> zip = getBytes("/api/v1/submissions/" + log.path("id").asText() + "/artifacts.zip");
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");

        Map<String, String> digests = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                digests.put(e.getName(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            }
        }
        Map<String, String> expected = new HashMap<>();
        for (JsonNode a : log.path("artifacts")) {
            String name = "input".equals(a.path("kind").asText()) ? "input/" + a.path("name").asText() + ".json" : a.path("name").asText();
            expected.put(name, a.path("sha256").asText());
        }
        assertThat(digests).isEqualTo(expected).containsKeys("input/document.json", "input/context.json", "xrechnung-ubl.xml");
        assertThat(get("/api/v1/submissions/no-such-id/artifacts.zip").statusCode()).isEqualTo(404);
    }

    @Test
    void featureDetailShowsItsApplicabilityRules() {
        JsonNode feature = json(get("/api/v1/features/xrechnung-ubl"));
        assertThat(feature.path("version").asText()).isEqualTo("1.0.0");
        assertThat(feature.path("applicability").path("all")).anySatisfy(c -> {
            assertThat(c.path("field").asText()).isEqualTo("country");
            assertThat(c.path("operator").asText()).isEqualTo("EQUALS");
            assertThat(c.path("values").get(0).asText()).isEqualTo("DE");
        });
        assertThat(get("/api/v1/features/fatturapa").statusCode()).isEqualTo(404);
    }

    @Test
    void dryRunAnswersWithFilesAndFindingsAndCreatesNothing() {
        ObjectNode invalid = sample("invalid/01-tax-inclusive-total-wrong.json");
        String erpId = "CA-TRY-" + UUID.randomUUID();
        ((ObjectNode) invalid.get("context")).put("legalEntity", entity).put("erpDocumentId", erpId);
        HttpResponse<String> answer = post("/api/v1/features/try", text(invalid));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode trial = json(answer);
        assertThat(trial.path("feature").path("id").asText()).isEqualTo("xrechnung-ubl");
        assertThat(trial.path("outcome").asText()).isEqualTo("Invalid");
        assertThat(trial.path("findings")).anySatisfy(f -> {
            assertThat(f.path("ruleId").asText()).isEqualTo("BR-CO-15");
            assertThat(f.path("sourceField").asText()).isEqualTo("/document/totals/taxInclusiveAmount");
        });
        assertThat(trial.path("files").get(0).path("name").asText()).isEqualTo("xrechnung-ubl.xml");
        assertThat(trial.path("files").get(0).path("content").asText()).contains("<cbc:TaxInclusiveAmount currencyID=\"EUR\">1718.40<");
        assertThat(json(get("/api/v1/submissions?legalEntity=" + entity + "&erpDocumentId=" + erpId)).path("items")).isEmpty();
        assertThat(json(get("/api/v1/submissions/counts?legalEntity=" + entity)).path("total").asLong()).isZero();

        ObjectNode valid = sample("valid/01-standard-rate-sepa-transfer.json");
        ((ObjectNode) valid.get("context")).put("featureHint", "peppol-bis-ubl");
        JsonNode peppol = json(post("/api/v1/features/try", text(valid)));
        assertThat(peppol.path("feature").path("id").asText()).isEqualTo("peppol-bis-ubl");
        assertThat(peppol.path("outcome").asText()).as(peppol.toString()).isEqualTo("Valid");

        ((ObjectNode) valid.get("context")).put("featureHint", "fatturapa");
        HttpResponse<String> unknown = post("/api/v1/features/try", text(valid));
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(json(unknown).path("title").asText()).isEqualTo("Unknown feature");
        HttpResponse<String> schema = post("/api/v1/features/try", text(sample("invalid/08-missing-issue-date.json")));
        assertThat(schema.statusCode()).isEqualTo(422);
        assertThat(json(schema).path("title").asText()).isEqualTo("Schema violation");
        assertThat(post("/api/v1/features/try", "{}", "Content-Type", "text/plain").statusCode()).isEqualTo(415);
    }
}
