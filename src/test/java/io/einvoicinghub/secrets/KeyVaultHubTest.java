package io.einvoicinghub.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.ksef.simulator.KsefSimulator;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole hub on {@code hub.secrets.backend=azure-key-vault}: the real Azure SDK client and
 * {@code ClientSecretCredential} over TLS against {@link KeyVaultTestServer} (only the HTTP client bean is the
 * test's, to trust the server's certificate). The KSeF feature reads {@code ksef-token-<legal entity>} from the
 * vault and gets a KSeF number from the simulator; a missing token fails the step with the secret's and the
 * vault's names; then every captured log line and every file of the run is searched for the secret values, the
 * client secret and the vault's access tokens.
 */
@CamelSpringBootTest
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=2", "hub.processing.pending-poll-millis=100",
        "hub.ksef.poll-interval=200ms", "hub.ksef.send-retries=2",
        "hub.secrets.backend=azure-key-vault", "hub.secrets.cache-time=PT1S",
        "hub.secrets.azure.disable-challenge-resource-verification=true", "hub.secrets.azure.max-retries=1"})
@Import(KeyVaultHubTest.TrustTheTestVault.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class KeyVaultHubTest {

    static final String TENANT = UUID.randomUUID().toString();
    static final String CLIENT_ID = UUID.randomUUID().toString();
    static final String CLIENT_SECRET = "kv-client-secret-" + UUID.randomUUID();
    static final KeyVaultTestServer VAULT = new KeyVaultTestServer(TENANT, CLIENT_ID, CLIENT_SECRET);
    static final String NIP = "5265877635";
    static final String KSEF_TOKEN = "ksef-kv-" + UUID.randomUUID();
    static final KsefSimulator KSEF = new KsefSimulator().registerKsefToken(KSEF_TOKEN, NIP)
            .processingDelay(Duration.ofMillis(300)).start(0);
    static final Path DATA_DIR = temp();
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    /** Only the transport is the test's: the SDK's Netty client, trusting the test vault's certificate. */
    @TestConfiguration(proxyBeanMethods = false)
    static class TrustTheTestVault {
        @Bean(SecretsConfiguration.HTTP_CLIENT_BEAN)
        com.azure.core.http.HttpClient hubKeyVaultHttpClient() {
            return TrustingHttpClient.trusting(VAULT.certificate());
        }
    }

    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    SecretStore secrets;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        VAULT.setSecret("ksef-token-PL01", KSEF_TOKEN);
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.ksef.environment", () -> KSEF.baseUri().toString());
        registry.add("hub.secrets.azure.vault-url", VAULT::baseUrl);
        registry.add("hub.secrets.azure.authority-host", VAULT::baseUrl);
        registry.add("hub.secrets.azure.tenant-id", () -> TENANT);
        registry.add("hub.secrets.azure.client-id", () -> CLIENT_ID);
        registry.add("hub.secrets.azure.client-secret", () -> CLIENT_SECRET);
    }

    @AfterAll
    static void stopServers() {
        KSEF.close();
        VAULT.close();
    }

    @Test
    void theHubsSecretStoreIsTheKeyVault() {
        assertThat(secrets).isInstanceOf(AzureKeyVaultSecretStore.class);
        assertThat(secrets.describe()).isEqualTo("Azure Key Vault " + VAULT.baseUrl());
    }

    @Test
    void ksefFeatureReadsItsTokenFromKeyVaultAMissingOneFailsClearlyAndNoSecretReachesALogOrAFile(CapturedOutput output)
            throws IOException {
        JsonNode done = awaitTerminal(submit("samples/ksef/01-standard-rate.json", "PL01"));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(output(done, "ksefNumber")).startsWith(NIP + "-");
        assertThat(VAULT.requests()).contains("GET /secrets/ksef-token-PL01/");
        assertThat(VAULT.tokenRequests()).as("the credential got a token from the authority host").isPositive();
        assertThat(VAULT.challenges()).as("the SDK met the bearer challenge").isPositive();
        assertThat(VAULT.requests()).contains("POST /" + TENANT + "/oauth2/v2.0/token");

        // no token for PL02 in the vault: the step fails with the secret's and the vault's names, the hub goes on
        JsonNode missing = awaitTerminal(submit("samples/ksef/01-standard-rate.json", "PL02"));
        assertThat(missing.path("status").asText()).isEqualTo("Failed");
        assertThat(missing.path("statusMessage").asText()).contains("send").contains("'ksef-token-PL02'")
                .contains("Azure Key Vault " + VAULT.baseUrl());
        assertThat(output.getAll()).contains("ksef-token-PL02");

        // a rotated token is read at the next login without a restart (cache time 1 s here)
        String rotated = "ksef-kv-rotated-" + UUID.randomUUID();
        KSEF.registerKsefToken(rotated, NIP);
        VAULT.setSecret("ksef-token-PL01", rotated);
        Instant deadline = Instant.now().plusSeconds(10);
        while (!rotated.equals(secrets.get("ksef-token-PL01").value()) && Instant.now().isBefore(deadline)) {
            sleep(100);
        }
        assertThat(secrets.get("ksef-token-PL01").value()).as("the hub's store sees the new version").isEqualTo(rotated);

        List<String> secretValues = new ArrayList<>(List.of(KSEF_TOKEN, rotated, CLIENT_SECRET));
        secretValues.addAll(VAULT.issuedTokens());
        List<String> forms = new ArrayList<>();
        for (String value : secretValues) {
            forms.add(value);
            forms.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
        String log = output.getAll();
        assertThat(log).as("the run's log was captured").contains("KSeF online session").contains("Azure Key Vault");
        for (String form : forms) {
            assertThat(log).as("log").doesNotContain(form);
        }
        int scanned = 0;
        try (Stream<Path> files = Files.walk(DATA_DIR)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String form : forms) {
                    assertThat(text).as(file.toString()).doesNotContain(form);
                }
                scanned++;
            }
        }
        assertThat(scanned).as("storage, database and broker files were scanned").isGreaterThan(10);
    }

    // ------------------------------------------------------------------ helpers

    String submit(String sample, String legalEntity) {
        ObjectNode submission;
        try {
            submission = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of(sample)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String unique = UUID.randomUUID().toString().substring(0, 8);
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "KV-" + unique).put("legalEntity", legalEntity);
        ObjectNode document = (ObjectNode) submission.get("document");
        document.put("number", document.path("number").asText() + "-" + unique);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(UnifiedJson.write(submission))).build());
        if (response.statusCode() != 202) {
            throw new AssertionError("Not accepted: " + response.body());
        }
        return json(response).path("id").asText();
    }

    static String output(JsonNode submission, String name) {
        return StreamSupport.stream(submission.path("authorityOutputs").spliterator(), false)
                .filter(o -> o.path("name").asText().equals(name)).map(o -> o.path("value").asText()).findFirst()
                .orElseThrow(() -> new AssertionError("No authority output " + name + " in " + submission));
    }

    JsonNode awaitTerminal(String id) {
        Instant deadline = Instant.now().plusSeconds(90);
        JsonNode s = null;
        while (Instant.now().isBefore(deadline)) {
            s = json(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id)).GET().build()));
            if (TERMINAL.contains(s.path("status").asText())) {
                return s;
            }
            sleep(50);
        }
        throw new AssertionError("Submission " + id + " did not end in 90 s: " + s);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return UnifiedJson.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("hub-keyvault-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
