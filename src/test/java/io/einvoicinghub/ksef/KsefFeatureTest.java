package io.einvoicinghub.ksef;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.ksef.simulator.KsefSimulator;
import io.einvoicinghub.ksef.simulator.SimulatorFault;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ksef-fa3 feature end to end: ERP submission → FA(3) → official XSD → KSeF simulator (token login, online
 * session, encrypted invoice, asynchronous verification) → Pending/Awaiting → Completed with KSeF's verdict.
 * The simulator counts what it receives, so "exactly once" is measured at KSeF's side.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=2", "hub.processing.pending-poll-millis=100",
        "hub.ksef.poll-interval=200ms", "hub.ksef.send-retries=2"})
class KsefFeatureTest {

    static final String NIP = "5265877635";
    static final String KSEF_TOKEN = "ksef-" + UUID.randomUUID();
    static final KsefSimulator KSEF = new KsefSimulator().registerKsefToken(KSEF_TOKEN, NIP)
            .processingDelay(Duration.ofMillis(700)).start(0);
    static final Path DATA_DIR = temp();
    static final List<String> LOG_LINES = captureLogs();
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path secrets = Files.createDirectories(DATA_DIR.resolve("secrets"));
        Files.writeString(secrets.resolve("secrets.properties"), "ksef-token-PL01=" + KSEF_TOKEN + "\n"
                + "ksef-token-PL03=" + KSEF_TOKEN + "\n");
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.secrets.local.dir", secrets::toString);
        registry.add("hub.ksef.environment", () -> KSEF.baseUri().toString());
    }

    @AfterEach
    void noFaultLeftForTheNextTest() {
        KSEF.resetFaults();
    }

    @AfterAll
    static void stopSimulator() {
        KSEF.close();
    }

    @Test
    void acceptedInvoiceIsPendingAwaitingThenCompletedAcceptedWithKsefNumberAndUpo() {
        String id = submit("samples/ksef/01-standard-rate.json", "PL01");

        JsonNode pending = await(id, s -> s.path("status").asText().equals("Pending"), Duration.ofSeconds(60));
        assertThat(pending.path("verdict").asText()).isEqualTo("Awaiting");
        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(done.path("feature").toString()).contains("ksef-fa3");
        String ksefNumber = output(done, "ksefNumber");
        // KSeF number: seller NIP, date, technical part and a CRC-8 check (KSeF 2.0 documentation)
        assertThat(ksefNumber).startsWith(NIP + "-").matches("\\d{10}-\\d{8}-[0-9A-F]{12}-[0-9A-F]{2}");
        assertThat(values(done.path("history"), "to")).containsExactly("Scheduled", "Executing", "Pending", "Completed");
        assertThat(values(done.path("steps"), "name")).containsSubsequence("transform", "validate", "send", "status", "result");
        JsonNode upo = artifact(done, "authority-receipt");
        String upoXml = new String(download(upo.path("href").asText()), StandardCharsets.UTF_8);
        assertThat(upoXml).contains(ksefNumber);
        assertThat(values(done.path("artifacts"), "kind")).contains("request", "response", "result");
        assertThat(KSEF.receivedCount(sha256(fa3(done)))).isEqualTo(1);
    }

    @Test
    void everyKsefSampleIsAcceptedByKsef() {
        List<String> ids;
        try (Stream<Path> files = Files.list(Path.of("samples/ksef"))) {
            ids = files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> submit(f.toString(), "PL01")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(ids).hasSize(6);
        for (String id : ids) {
            JsonNode done = awaitTerminal(id);
            assertThat(done.path("verdict").asText()).as(done.toString()).isEqualTo("Accepted");
            assertThat(KSEF.receivedCount(sha256(fa3(done)))).isEqualTo(1);
        }
    }

    @Test
    void rejectionIsCompletedRejectedWithKsefsCodeAsFindings() {
        KSEF.rejectNextInvoice(KsefStatus.of(450, "Błąd weryfikacji semantyki dokumentu faktury",
                "Nieprawidłowa suma kwot netto"));
        JsonNode done = awaitTerminal(submit("samples/ksef/02-reduced-rates.json", "PL01"));

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Rejected");
        assertThat(values(done.path("findings"), "ruleId")).contains("450");
        assertThat(values(done.path("findings"), "message")).contains("Nieprawidłowa suma kwot netto");
        assertThat(done.path("statusMessage").asText()).contains("450");
        assertThat(done.path("authorityOutputs").toString()).doesNotContain("ksefNumber");
    }

    @Test
    void answerLostAfterSendingIsReconciledWithoutASecondInvoiceAtKsef() {
        KSEF.inject("send-invoice", SimulatorFault.lostResponse(), 1);
        JsonNode done = awaitTerminal(submit("samples/ksef/03-exempt.json", "PL01"));

        assertThat(done.path("verdict").asText()).as(done.toString()).isEqualTo("Accepted");
        assertThat(KSEF.receivedCount(sha256(fa3(done)))).isEqualTo(1);
        assertThat(values(done.path("steps"), "status")).contains("Retried");
    }

    @Test
    void serverErrorsUntilTheRetryLimitFailWithAClearMessage() {
        KSEF.inject("send-invoice", SimulatorFault.httpStatus(503), 50);
        JsonNode done = awaitTerminal(submit("samples/ksef/05-foreign-currency.json", "PL01"));

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("Step send failed after 3 attempt(s)").contains("503");
        assertThat(StreamSupport.stream(done.path("steps").spliterator(), false)
                .filter(s -> s.path("status").asText().equals("Retried"))).hasSize(2);
        assertThat(KSEF.receivedCount(sha256(fa3(done)))).isZero();
    }

    @Test
    void tooManyRequestsIsRetriedAfterKsefsRetryAfter() {
        KSEF.inject("send-invoice", SimulatorFault.tooManyRequests(2), 1);
        JsonNode done = awaitTerminal(submit("samples/ksef/06-split-payment-mpp.json", "PL01"));

        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(values(done.path("steps"), "message")).anyMatch(m -> m.contains("next attempt in 2000 ms (Retry-After)"));
        assertThat(KSEF.receivedCount(sha256(fa3(done)))).isEqualTo(1);
    }

    @Test
    void rateLimitOnAStatusLookKeepsTheRunPendingUntilRetryAfterWithNoWorkerSleepingThroughIt() {
        KSEF.inject("invoice-status", SimulatorFault.tooManyRequests(2), 1);
        JsonNode done = awaitTerminal(submit("samples/ksef/02-reduced-rates.json", "PL01"));

        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(StreamSupport.stream(done.path("steps").spliterator(), false)
                .filter(s -> s.path("name").asText().equals("status")))
                .as("the look that met 429 is a wait, not a retry on a sleeping worker")
                .noneMatch(s -> s.path("status").asText().equals("Retried"));
        String hash = sha256(fa3(done));
        Instant received = KSEF.readyAtByHash().get(hash).minusMillis(700);
        List<Instant> looks = KSEF.statusLooks().get(output(done, "ksefReferenceNumber"));
        assertThat(Duration.between(received, looks.get(0)).toMillis())
                .as("the first answered look comes after the 2 s Retry-After (none early, despite the jitter)")
                .isGreaterThanOrEqualTo(2000);
        assertThat(KSEF.receivedCount(hash)).isEqualTo(1);
    }

    @Test
    void pendingSubmissionIsCanceled() {
        String id = submit("samples/ksef/04-correction-kor.json", "PL01");
        await(id, s -> s.path("status").asText().equals("Pending"), Duration.ofSeconds(60));

        assertThat(post("/api/v1/submissions/" + id + "/cancel", "").statusCode()).isEqualTo(202);
        JsonNode after = awaitTerminal(id);
        assertThat(after.path("status").asText()).isEqualTo("Canceled");
        assertThat(values(after.path("history"), "to")).containsExactly("Scheduled", "Executing", "Pending", "Canceled");
    }

    @Test
    void missingKsefTokenFailsTheStepWithItsNameAndNoValue() {
        JsonNode done = awaitTerminal(submit("samples/ksef/01-standard-rate.json", "PL02"));

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("send").contains("ksef-token-PL02");
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void theKsefTokenNeverReachesALogLineAStoredFileOrACheckpoint(org.springframework.boot.test.system.CapturedOutput output)
            throws IOException {
        // a legal entity of its own: a new login and session, so the hub logs while this test captures its output
        JsonNode done = awaitTerminal(submit("samples/ksef/01-standard-rate.json", "PL03"));
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");

        assertThat(output.getAll()).as("the run's log was captured").contains("KSeF online session").doesNotContain(KSEF_TOKEN);
        assertThat(LOG_LINES).noneMatch(line -> line.contains(KSEF_TOKEN));
        try (Stream<Path> files = Files.walk(DATA_DIR.resolve("storage"))) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).hasSizeGreaterThan(5);
            for (Path file : all) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(text).as(file.toString()).doesNotContain(KSEF_TOKEN)
                        .doesNotContain(Base64.getEncoder().encodeToString(KSEF_TOKEN.getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(jdbc.queryForList("SELECT state FROM submission_run", String.class)).noneMatch(s -> s.contains(KSEF_TOKEN));
    }

    @Test
    void featureListShowsEachStepWithItsActionAndParametersSecretsByNameOnly() {
        JsonNode features = json(send(HttpRequest.newBuilder(uri("/api/v1/features")).GET().build())).path("features");
        JsonNode ksef = StreamSupport.stream(features.spliterator(), false)
                .filter(f -> f.path("id").asText().equals("ksef-fa3")).findFirst().orElseThrow();
        JsonNode steps = ksef.path("steps");
        assertThat(values(steps, "name")).containsExactly("transform", "validate", "send", "status", "result");
        assertThat(values(steps, "action")).containsExactly("transform", "validate", "ksef-send", "ksef-await-status", "export-result");
        JsonNode sendStep = steps.get(2);
        assertThat(sendStep.path("externalEffect").asBoolean()).isTrue();
        assertThat(sendStep.path("configured").path("tokenSecret").asText()).isEqualTo("ksef-token-${legalEntity}");
        assertThat(sendStep.path("configured").path("environment").asText()).isEqualTo(KSEF.baseUri().toString());
        JsonNode tokenParameter = StreamSupport.stream(sendStep.path("parameters").spliterator(), false)
                .filter(p -> p.path("name").asText().equals("tokenSecret")).findFirst().orElseThrow();
        assertThat(tokenParameter.path("secret").asBoolean()).isTrue();
        assertThat(tokenParameter.path("required").asBoolean()).isTrue();
        assertThat(features.toString()).doesNotContain(KSEF_TOKEN);
        // the features that only transform and validate run on the same catalogue
        JsonNode peppol = StreamSupport.stream(features.spliterator(), false)
                .filter(f -> f.path("id").asText().equals("peppol-bis-ubl")).findFirst().orElseThrow();
        assertThat(values(peppol.path("steps"), "action")).startsWith("transform", "validate");
    }

    @Autowired
    io.einvoicinghub.processing.action.ActionCatalogue catalogue;

    @Test
    void docsDescribeEveryActionOfTheCatalogueWithEveryParameter() throws IOException {
        String docs = Files.readString(Path.of("docs/actions.md"));
        assertThat(catalogue.names()).contains("transform", "validate", "call-http", "wait-for-response", "process-response",
                "store-file", "next-number", "export-result", "ksef-send", "ksef-await-status");
        for (var action : catalogue.all()) {
            String name = action.spec().name();
            int start = docs.indexOf("\n## " + name + "\n");
            assertThat(start).as("docs/actions.md has a section for " + name).isPositive();
            int end = docs.indexOf("\n## ", start + 4);
            String section = docs.substring(start, end < 0 ? docs.length() : end);
            for (var parameter : action.spec().parameters()) {
                String shown = parameter.prefix() ? parameter.name() + "*" : parameter.name();
                assertThat(section).as("docs/actions.md, " + name + ": parameter " + shown).contains("`" + shown + "`");
            }
        }
        for (var common : io.einvoicinghub.processing.action.ActionSpec.COMMON) {
            assertThat(docs).contains("`" + common.name() + "`");
        }
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
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "KSEF-" + unique).put("legalEntity", legalEntity);
        ObjectNode document = (ObjectNode) submission.get("document");
        document.put("number", document.path("number").asText() + "-" + unique); // KSeF refuses a number twice (440)
        HttpResponse<String> response = post("/api/v1/submissions", new String(UnifiedJson.write(submission), StandardCharsets.UTF_8));
        if (response.statusCode() != 202) {
            throw new AssertionError("Not accepted: " + response.body());
        }
        return json(response).path("id").asText();
    }

    static String output(JsonNode submission, String name) {
        for (JsonNode o : submission.path("authorityOutputs")) {
            if (o.path("name").asText().equals(name)) {
                return o.path("value").asText();
            }
        }
        throw new AssertionError("No authority output " + name + " in " + submission.path("authorityOutputs"));
    }

    static JsonNode artifact(JsonNode submission, String kind) {
        return StreamSupport.stream(submission.path("artifacts").spliterator(), false)
                .filter(a -> a.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("No " + kind + " artifact in " + submission.path("artifacts")));
    }

    byte[] fa3(JsonNode submission) {
        JsonNode file = StreamSupport.stream(submission.path("artifacts").spliterator(), false)
                .filter(a -> a.path("name").asText().equals("fa3.xml")).findFirst().orElseThrow();
        return download(file.path("href").asText());
    }

    static String sha256(byte[] content) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> values(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    JsonNode awaitTerminal(String id) {
        return await(id, s -> TERMINAL.contains(s.path("status").asText()), Duration.ofSeconds(90));
    }

    JsonNode await(String id, Predicate<JsonNode> condition, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        JsonNode s = null;
        while (Instant.now().isBefore(deadline)) {
            s = json(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id)).GET().build()));
            if (condition.test(s)) {
                return s;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Submission " + id + " did not get there in " + limit + ": " + s);
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    byte[] download(String href) {
        try {
            return http.send(HttpRequest.newBuilder(uri(href)).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException | InterruptedException e) {
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

    private static Path temp() {
        try {
            return Files.createTempDirectory("hub-ksef-");
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
}
