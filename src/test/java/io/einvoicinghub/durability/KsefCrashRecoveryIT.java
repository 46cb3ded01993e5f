package io.einvoicinghub.durability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.ksef.simulator.KsefSimulator;
import io.einvoicinghub.testsupport.StartupWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's kill test: ~200 KSeF submissions, the hub SIGKILLed while some are being sent and many are Pending
 * at KSeF; after the restart every one reaches exactly one terminal status, and the simulator — which counts
 * every invoice it receives — received each invoice exactly once.
 */
class KsefCrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOCUMENTS = 200;
    private static final String NIP = "5265877635";
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KsefSimulator ksef;
    private int port;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
        if (ksef != null) {
            ksef.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void everyKsefSubmissionEndsOnceAndKsefReceivesEachInvoiceOnceAfterSigkill() throws Exception {
        long started = System.nanoTime();
        String token = "ksef-" + UUID.randomUUID();
        // KSeF takes 2 s to verify each invoice: at the kill most sent invoices are Pending
        ksef = new KsefSimulator().registerKsefToken(token, NIP).processingDelay(Duration.ofSeconds(2)).start(0);
        Path secrets = Files.createDirectories(dataDir.resolve("data").resolve("secrets"));
        Files.writeString(secrets.resolve("secrets.properties"), "ksef-token-PL01=" + token + "\n");
        port = freePort();

        Process first = startHub("run1");
        waitUntilUp(first);
        List<ObjectNode> samples = loadKsefSamples();
        String tag = Long.toString(System.currentTimeMillis(), 36);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            ObjectNode body = samples.get(i % samples.size()).deepCopy();
            ((ObjectNode) body.get("context")).put("erpDocumentId", "KSEF-CRASH-" + tag + "-" + i);
            ObjectNode document = (ObjectNode) body.get("document");
            document.put("number", "FV/" + tag + "/" + i); // KSeF refuses a seller's invoice number twice (440)
            HttpResponse<String> r = post(body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(JSON.readTree(r.body()).get("id").asText());
        }
        // kill once KSeF holds part of the invoices: the rest are queued, mid-send or not yet transformed
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (ksef.receivedTotal() < DOCUMENTS / 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int receivedAtKill = ksef.receivedTotal();
        Map<String, Integer> beforeKill = statusCounts(ids);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no session close, no orderly broker or database close
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(receivedAtKill).as("KSeF had received part of the invoices at the kill").isBetween(1, DOCUMENTS - 1);

        long restartAt = System.nanoTime();
        Process second = startHub("run2");
        waitUntilUp(second);
        Map<String, JsonNode> finals = new HashMap<>();
        deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (finals.size() < ids.size() && System.nanoTime() < deadline) {
            for (String id : ids) {
                if (!finals.containsKey(id)) {
                    JsonNode s = getJson("/api/v1/submissions/" + id);
                    if (TERMINAL.contains(s.path("status").asText())) {
                        finals.put(id, s);
                    }
                }
            }
            Thread.sleep(200);
        }
        double drained = (System.nanoTime() - restartAt) / 1e9;
        List<String> problems = new ArrayList<>();
        Set<String> ksefNumbers = new HashSet<>();
        int recovered = 0;
        for (String id : ids) {
            JsonNode s = finals.get(id);
            if (s == null) {
                problems.add(id + " not terminal: " + getJson("/api/v1/submissions/" + id).path("status").asText());
                continue;
            }
            List<String> to = new ArrayList<>();
            s.path("history").forEach(h -> to.add(h.path("to").asText()));
            if (to.stream().filter(TERMINAL::contains).count() != 1) {
                problems.add(id + " history " + to);
            }
            if (!s.path("status").asText().equals("Completed") || !s.path("verdict").asText().equals("Accepted")) {
                problems.add(id + " " + s.path("status").asText() + "/" + s.path("verdict").asText() + ": " + s.path("statusMessage").asText());
            }
            s.path("authorityOutputs").forEach(o -> {
                if (o.path("name").asText().equals("ksefNumber")) {
                    ksefNumbers.add(o.path("value").asText());
                }
            });
            if (s.path("history").toString().contains("Recovered")) {
                recovered++;
            }
        }
        System.out.printf("[ksef-crash] %d submissions; before the kill %s, KSeF had received %d; after the restart all terminal "
                        + "in %.1f s; KSeF received %d invoices in all; %d distinct KSeF numbers; %d runs recovered; test %.1f s%n",
                ids.size(), beforeKill, receivedAtKill, drained, ksef.receivedTotal(), ksefNumbers.size(), recovered,
                (System.nanoTime() - started) / 1e9);
        assertThat(problems).as("per-submission problems").isEmpty();
        assertThat(ksefNumbers).as("one KSeF number per submission").hasSize(DOCUMENTS);
        assertThat(ksef.receivedTotal()).as("invoices KSeF received (each exactly once)").isEqualTo(DOCUMENTS);
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
    }

    private Process startHub(String name) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx512m", "-cp", classpath, "io.einvoicinghub.HubApplication",
                "--hub.data-dir=" + dataDir.resolve("data"),
                "--server.port=" + port,
                "--hub.node-id=ksef-crash-node",
                "--hub.processing.concurrency=4",
                "--hub.processing.recovery-interval-seconds=2",
                "--hub.processing.requeue-scheduled-after-seconds=5",
                "--hub.processing.pending-poll-millis=200",
                "--hub.ksef.environment=" + ksef.baseUri(),
                "--hub.ksef.poll-interval=500ms",
                "--hub.validation.warm-up-enabled=false",
                "--logging.level.root=WARN",
                "--logging.level.io.einvoicinghub=INFO");
        Process p = new ProcessBuilder(command).directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private void waitUntilUp(Process p) throws Exception {
        try {
            new StartupWindow(uri("/api/v1/submissions?limit=1")).starting(p, System.nanoTime(), Duration.ofSeconds(150),
                    Duration.ofMillis(300));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlog: " + tail(), e);
        }
    }

    private String tail() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> logs = Files.list(dataDir)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                b.append("\n--- ").append(log.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        }
        return b.toString();
    }

    /** One list call, so the kill follows the moment it was decided on closely. */
    private Map<String, Integer> statusCounts(List<String> ids) throws IOException, InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        getJson("/api/v1/submissions?legalEntity=PL01&limit=" + ids.size()).path("items")
                .forEach(s -> counts.merge(s.path("status").asText(), 1, Integer::sum));
        return counts;
    }

    private HttpResponse<String> post(JsonNode body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/submissions")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static List<ObjectNode> loadKsefSamples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples", "ksef"))) {
            List<ObjectNode> samples = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                samples.add((ObjectNode) JSON.readTree(f.toFile()));
            }
            assertThat(samples).hasSize(6);
            return samples;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
