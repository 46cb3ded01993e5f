package io.einvoicinghub.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.model.InMemoryDocument;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole hub with the test features {@code test-signing} (transform → sign-xml → verify-signature → export-result)
 * and {@code test-signing-expired} (src/test/resources/signing-features), keys from a test PKI written into the local
 * keystore before start. The signed result is downloaded over the API and verified again, outside the hub, by DSS.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=2", "hub.certificates.warn-days=30", "hub.certificates.names=" + TestPki.SECRET_RSA})
class SigningPipelineTest {

    static final Path DATA_DIR = createTemp();
    /** An admin API key of this test run: health details and metrics need the admin scope. */
    static final String ADMIN_KEY = "admin-" + UUID.randomUUID();
    static TestPki pki;

    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path routes = DATA_DIR.resolve("routes");
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
        FileSystemUtils.copyRecursively(Path.of("src/test/resources/signing-features"), routes.resolve("features"));
        pki = new TestPki(DATA_DIR.resolve("secrets"));
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.routes-dir", routes::toString);
        registry.add("hub.secrets.local.dir", () -> DATA_DIR.resolve("secrets").toString());
        registry.add("hub.security.keys[0].name", () -> "signing-test-admin");
        registry.add("hub.security.keys[0].sha256", () -> sha256(ADMIN_KEY));
        registry.add("hub.security.keys[0].legal-entities", () -> "*");
        registry.add("hub.security.keys[0].scopes", () -> "admin");
    }

    private static String sha256(String value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path createTemp() {
        try {
            return Files.createTempDirectory("hub-signing-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void transformSignVerifyThroughTheEngine() throws Exception {
        JsonNode done = awaitTerminal(submit("test-signing"));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(values(done.path("steps"), "name")).containsSubsequence("transform", "sign", "verify", "result");
        assertThat(values(done.path("findings"), "ruleId")).contains("SIGNATURE-VALID");
        JsonNode result = artifact(done, "invoice-signed.xml", "result");
        byte[] signed = download(result.path("href").asText());
        assertThat(new String(signed, StandardCharsets.UTF_8)).contains("<Invoice").contains("SignedProperties");
        assertThat(values(done.path("artifacts"), "name")).contains("invoice.xml", "signature-validation.xml");

        // independently of the hub's action: DSS over the downloaded file, trusting the test CA
        VerifySignatureAction.Verification verification = VerifySignatureAction.verify(
                new InMemoryDocument(signed, "invoice-signed.xml"), List.of(), List.of(pki.caCertificate), false);
        assertThat(verification.outcomes()).hasSize(1);
        assertThat(verification.outcomes().get(0).indication()).isEqualTo(Indication.TOTAL_PASSED);
        assertThat(verification.outcomes().get(0).signer()).contains(TestPki.EC);
    }

    @Test
    void expiredSigningCertificateFailsTheRunWithTheReason() {
        JsonNode done = awaitTerminal(submit("test-signing-expired"));
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("Signing certificate '" + TestPki.EXPIRED + "'")
                .contains("expired on");
        assertThat(values(done.path("artifacts"), "name")).doesNotContain("invoice-signed.xml");
    }

    @Test
    void certificateExpiryInHealthAndMetrics() {
        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health/certificates")).header("X-API-Key", ADMIN_KEY).GET().build());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode details = json(health.body()).path("details");
        assertThat(details.path("warnDays").asInt()).isEqualTo(30);
        assertThat(details.path("certificates").path(TestPki.EC).path("state").asText()).isEqualTo("valid");
        assertThat(details.path("certificates").path(TestPki.EC).path("notAfter").asText())
                .isEqualTo(pki.certificates.get(TestPki.EC).getNotAfter().toInstant().toString());
        assertThat(details.path("certificates").path(TestPki.EXPIRING).path("state").asText()).isEqualTo("expiring");
        assertThat(details.path("certificates").path(TestPki.EXPIRED).path("state").asText()).isEqualTo("expired");
        assertThat(details.path("certificates").path(TestPki.SECRET_RSA).path("state").asText()).isEqualTo("valid");

        HttpResponse<String> metric = send(HttpRequest.newBuilder(
                uri("/actuator/metrics/" + CertificateHealth.GAUGE + "?tag=certificate:" + TestPki.EXPIRING))
                .header("X-API-Key", ADMIN_KEY).GET().build());
        assertThat(metric.statusCode()).as(metric.body()).isEqualTo(200);
        assertThat(json(metric.body()).path("measurements").get(0).path("value").asDouble()).isBetween(9.9, 10.1);
    }

    // ------------------------------------------------------------------ helpers

    String submit(String channel) {
        ObjectNode submission;
        try {
            submission = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of("samples/valid/02-standard-and-reduced-rates.json")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String unique = UUID.randomUUID().toString().substring(0, 8);
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "SIGN-" + unique).put("featureHint", channel);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/json").header("X-API-Key", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(new String(UnifiedJson.write(submission), StandardCharsets.UTF_8))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response.body()).path("id").asText();
    }

    JsonNode awaitTerminal(String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode s = null;
        while (Instant.now().isBefore(deadline)) {
            s = json(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id)).header("X-API-Key", ADMIN_KEY).GET().build()).body());
            if (Set.of("Completed", "Failed", "Canceled").contains(s.path("status").asText())) {
                return s;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Submission " + id + " did not end in 60 s: " + s);
    }

    static JsonNode artifact(JsonNode submission, String name, String kind) {
        return StreamSupport.stream(submission.path("artifacts").spliterator(), false)
                .filter(a -> a.path("name").asText().equals(name) && a.path("kind").asText().equals(kind))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + submission.path("artifacts")));
    }

    static List<String> values(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    byte[] download(String href) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(href)).header("X-API-Key", ADMIN_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : "http://127.0.0.1:" + port + path);
    }

    static JsonNode json(String body) {
        try {
            return UnifiedJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }
}
