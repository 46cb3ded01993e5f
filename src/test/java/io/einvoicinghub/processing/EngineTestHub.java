package io.einvoicinghub.processing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The whole hub with the project's routes plus the test feature {@code test-authority} (src/test/resources/
 * engine-features) that sends to an {@link AsyncAuthoritySimulator}; a short lease (2 s) and a fast poller, so
 * lease renewal and Pending resumption are exercised within seconds. Every log line is kept for inspection.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=2", "hub.processing.lease-seconds=2", "hub.processing.recovery-interval-seconds=1",
        "hub.processing.pending-poll-millis=100"})
abstract class EngineTestHub {

    static final String TOKEN = "tok-" + UUID.randomUUID();
    static final AsyncAuthoritySimulator AUTHORITY = startAuthority();
    static final Path DATA_DIR = createTemp("hub-engine-");
    static final List<String> LOG_LINES = captureLogs();
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path routes = DATA_DIR.resolve("routes");
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
        FileSystemUtils.copyRecursively(Path.of("src/test/resources/engine-features"), routes.resolve("features"));
        Path secrets = Files.createDirectories(DATA_DIR.resolve("secrets"));
        Files.writeString(secrets.resolve("secrets.properties"), "test-authority-token=" + TOKEN + "\n");
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.routes-dir", routes::toString);
        registry.add("hub.secrets.local.dir", secrets::toString);
        registry.add("test.authority.url", AUTHORITY::url);
    }

    private static AsyncAuthoritySimulator startAuthority() {
        try {
            return new AsyncAuthoritySimulator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createTemp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> captureLogs() {
        List<String> lines = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                StringBuilder line = new StringBuilder(event.getFormattedMessage());
                for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                lines.add(line.toString());
            }
        };
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return lines;
    }

    /** Sample 02 through the test feature, its invoice number carrying {@code marker} for the simulator. */
    String submit(String marker) {
        return submit(marker, "test-authority");
    }

    /** Sample 02 through feature {@code feature}, its invoice number carrying {@code marker}. */
    String submit(String marker, String feature) {
        ObjectNode submission;
        try {
            submission = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of("samples/valid/02-standard-and-reduced-rates.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String unique = UUID.randomUUID().toString().substring(0, 8);
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "ENG-" + marker + "-" + unique)
                .put("featureHint", feature);
        ((ObjectNode) submission.get("document")).put("number", "INV-" + marker + "-" + unique);
        HttpResponse<String> response = post("/api/v1/submissions", new String(UnifiedJson.write(submission), StandardCharsets.UTF_8));
        if (response.statusCode() != 202) {
            throw new AssertionError("Not accepted: " + response.body());
        }
        return json(response).path("id").asText();
    }

    HttpResponse<String> post(String path, String body) {
        return post(path, "application/json", body);
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    JsonNode submission(String id) {
        return json(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id)).GET().build()));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
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
