package io.einvoicinghub.sdi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.sdi.simulator.SdiSimulator;
import io.einvoicinghub.sdi.simulator.SimulatorPki;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

/**
 * The whole hub with the project's routes plus the SDI test features ({@code src/test/resources/sdi/features}:
 * {@code test-sdi-b2b} FPR12 signed XAdES, {@code test-sdi-pa} FPA12 signed CAdES), talking to a real
 * {@link SdiSimulator} over mutual TLS both ways: the hub calls SdIRiceviFile with certificate {@code sdi-transmitter},
 * the simulator calls the hub's TrasmissioneFatture endpoint (its own port) with SDI's client certificate. The PKI is
 * made by the test run ({@link SimulatorPki}); the hub reads its side from its local keystore through the secret store.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=2", "hub.processing.lease-seconds=5", "hub.processing.recovery-interval-seconds=1",
        "hub.processing.pending-poll-millis=100", "hub.validation.warm-up-enabled=false"})
abstract class SdiTestHub {

    static final Path DATA_DIR = temp("hub-sdi-");
    static final SimulatorPki PKI = pki();
    static final int ENDPOINT_PORT = freePort();
    static final SdiSimulator SDI = simulator();
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path routes = DATA_DIR.resolve("routes");
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
        FileSystemUtils.copyRecursively(Path.of("src/test/resources/sdi/features"), routes.resolve("features"));
        Path transformations = DATA_DIR.resolve("transformations");
        FileSystemUtils.copyRecursively(Path.of("transformations"), transformations);
        FileSystemUtils.copyRecursively(Path.of("src/test/resources/sdi/transformations"), transformations);
        Path secrets = Files.createDirectories(DATA_DIR.resolve("secrets"));
        String password = "ks-" + UUID.randomUUID();
        PKI.writeHubKeystore(secrets, password);
        Files.writeString(secrets.resolve("secrets.properties"), "keystore-password=" + password + "\n");
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.routes-dir", routes::toString);
        registry.add("hub.transformations-dir", transformations::toString);
        registry.add("hub.secrets.local.dir", secrets::toString);
        registry.add("hub.sdi.notifications.enabled", () -> "true");
        registry.add("hub.sdi.notifications.port", () -> Integer.toString(ENDPOINT_PORT));
        registry.add("hub.sdi.notifications.bind-address", () -> "127.0.0.1");
        registry.add("hub.sdi.notifications.server-certificate", () -> SimulatorPki.HUB_ENDPOINT);
        registry.add("hub.sdi.notifications.trusted-certificate", () -> SimulatorPki.CA);
        registry.add("test.sdi.endpoint", () -> SDI.endpoint().toString());
    }


    static SimulatorPki pki() {
        try {
            return new SimulatorPki();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SdiSimulator simulator() {
        return startSimulator(PKI, ENDPOINT_PORT);
    }

    /** A simulator with {@code pki}'s certificates that sends SDI's messages to the hub's endpoint on {@code endpointPort}. */
    static SdiSimulator startSimulator(SimulatorPki pki, int endpointPort) {
        try {
            SdiSimulator simulator = new SdiSimulator(pki.simulatorSettings(
                    URI.create("https://localhost:" + endpointPort + "/TrasmissioneFatture")));
            Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
            return simulator.start(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path temp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sample 02 through {@code feature} with invoice number {@code number} (FatturaPA: at most 20 characters). */
    String submit(String number, String feature) {
        ObjectNode submission;
        try {
            submission = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of("samples/valid/02-standard-and-reduced-rates.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "SDI-" + number + "-" + UUID.randomUUID())
                .put("featureHint", feature);
        ((ObjectNode) submission.get("document")).put("number", number);
        HttpResponse<String> response = post("/api/v1/submissions", new String(UnifiedJson.write(submission), StandardCharsets.UTF_8));
        if (response.statusCode() != 202) {
            throw new AssertionError("Not accepted: " + response.body());
        }
        return json(response).path("id").asText();
    }

    /** A short unique invoice number with digits, e.g. {@code HAPPY-48213}. */
    static String number(String marker) {
        return marker + "-" + (10000 + (int) (Math.random() * 89999));
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    JsonNode submission(String id) {
        return json(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id)).GET().build()));
    }

    byte[] download(String href) {
        try {
            return http.send(HttpRequest.newBuilder(uri(href)).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode awaitTerminal(String id) {
        return await(id, s -> TERMINAL.contains(s.path("status").asText()), Duration.ofSeconds(60));
    }

    JsonNode await(String id, Predicate<JsonNode> condition, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        JsonNode s = null;
        while (Instant.now().isBefore(deadline)) {
            s = submission(id);
            if (condition.test(s)) {
                return s;
            }
            sleep(50);
        }
        throw new AssertionError("Submission " + id + " did not get there in " + limit + ": " + s);
    }

    /** The name of the file the run sent to SDI (its sdiFileName authority output, else the last signed document). */
    static String sentFileName(JsonNode submission) {
        return StreamSupport.stream(submission.path("authorityOutputs").spliterator(), false)
                .filter(o -> o.path("name").asText().equals("sdiFileName")).map(o -> o.path("value").asText())
                .findFirst().orElseThrow(() -> new AssertionError("no sdiFileName in " + submission.path("authorityOutputs")));
    }

    static String output(JsonNode submission, String name) {
        return StreamSupport.stream(submission.path("authorityOutputs").spliterator(), false)
                .filter(o -> o.path("name").asText().equals(name)).map(o -> o.path("value").asText())
                .findFirst().orElse(null);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : "http://127.0.0.1:" + port + path);
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
}
