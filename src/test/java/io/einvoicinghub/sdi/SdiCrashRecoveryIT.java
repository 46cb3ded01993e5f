package io.einvoicinghub.sdi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.sdi.simulator.SdiScenario;
import io.einvoicinghub.sdi.simulator.SdiSimulator;
import io.einvoicinghub.sdi.simulator.SimulatorPki;
import io.einvoicinghub.testsupport.StartupWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub SIGKILLed while its SDI runs are Pending: FPA12 invoices that SDI has delivered (RicevutaConsegna taken)
 * and whose administration's outcome (NotificaEsito EC01) comes only later, some still being signed or sent. SDI
 * keeps delivering its messages while the hub is down; after the restart every submission ends once, Accepted by
 * EC01, and SDI took each file once (counted by the simulator, by file name).
 */
class SdiCrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOCUMENTS = 12;
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SdiSimulator sdi;
    private int port;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
        if (sdi != null) {
            sdi.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everySdiSubmissionEndsOnceAndSdiTakesEachFileOnceAfterSigkill() throws Exception {
        long started = System.nanoTime();
        SimulatorPki pki = new SimulatorPki();
        int endpointPort = freePort();
        sdi = new SdiSimulator(pki.simulatorSettings(URI.create("https://localhost:" + endpointPort + "/TrasmissioneFatture")))
                .defaultScenario(SdiScenario.paAccept()).notificationDelay(Duration.ofMillis(300))
                .outcomeDelay(Duration.ofSeconds(8)).delivery(600, Duration.ofSeconds(1)).start(0);
        Path data = dir.resolve("data");
        Path routes = dir.resolve("routes");
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
        FileSystemUtils.copyRecursively(Path.of("src/test/resources/sdi/features"), routes.resolve("features"));
        Path transformations = dir.resolve("transformations");
        FileSystemUtils.copyRecursively(Path.of("transformations"), transformations);
        FileSystemUtils.copyRecursively(Path.of("src/test/resources/sdi/transformations"), transformations);
        Path secrets = Files.createDirectories(data.resolve("secrets"));
        String password = "ks-" + UUID.randomUUID();
        pki.writeHubKeystore(secrets, password);
        Files.writeString(secrets.resolve("secrets.properties"), "keystore-password=" + password + "\n");
        port = freePort();
        List<String> arguments = List.of("--hub.data-dir=" + data, "--hub.routes-dir=" + routes,
                "--hub.transformations-dir=" + transformations, "--server.port=" + port,
                "--hub.sdi.notifications.enabled=true", "--hub.sdi.notifications.port=" + endpointPort,
                "--hub.sdi.notifications.bind-address=127.0.0.1",
                "--hub.sdi.notifications.server-certificate=" + SimulatorPki.HUB_ENDPOINT,
                "--hub.sdi.notifications.trusted-certificate=" + SimulatorPki.CA,
                "--test.sdi.endpoint=" + sdi.endpoint());

        Process first = startHub("run1", arguments);
        waitUntilUp(first);
        String tag = Long.toString(System.currentTimeMillis() % 100000, 36).toUpperCase();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            ObjectNode body = (ObjectNode) JSON.readTree(Path.of("samples/valid/02-standard-and-reduced-rates.json").toFile());
            ((ObjectNode) body.get("context")).put("erpDocumentId", "SDI-CRASH-" + tag + "-" + i).put("featureHint", "test-sdi-pa");
            ((ObjectNode) body.get("document")).put("number", "K" + tag + "-" + i);
            HttpResponse<String> r = post(body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(JSON.readTree(r.body()).get("id").asText());
        }
        // kill once most runs are Pending at SDI (RC taken, EC01 not yet): the rest are signing, sending or queued
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        Map<String, Integer> beforeKill = statusCounts(ids);
        while (beforeKill.getOrDefault("Pending", 0) < DOCUMENTS / 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            beforeKill = statusCounts(ids);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no orderly close of broker, database or endpoint
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(beforeKill.getOrDefault("Pending", 0)).as("runs Pending at SDI at the kill: " + beforeKill).isPositive();

        long restartAt = System.nanoTime();
        Process second = startHub("run2", arguments);
        waitUntilUp(second);
        Map<String, JsonNode> finals = new HashMap<>();
        deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (finals.size() < ids.size() && System.nanoTime() < deadline) {
            for (String id : ids) {
                if (!finals.containsKey(id)) {
                    JsonNode s = getJson("/api/v1/submissions/" + id);
                    if (TERMINAL.contains(s.path("status").asText())) {
                        finals.put(id, s);
                    }
                }
            }
            Thread.sleep(300);
        }
        double drained = (System.nanoTime() - restartAt) / 1e9;
        List<String> problems = new ArrayList<>();
        int resent = 0;
        for (String id : ids) {
            JsonNode s = finals.get(id);
            if (s == null) {
                problems.add(id + " not terminal: " + getJson("/api/v1/submissions/" + id).path("statusMessage").asText());
                continue;
            }
            List<String> to = new ArrayList<>();
            s.path("history").forEach(h -> to.add(h.path("to").asText()));
            if (to.stream().filter(TERMINAL::contains).count() != 1) {
                problems.add(id + " history " + to);
            }
            if (!s.path("status").asText().equals("Completed") || !s.path("verdict").asText().equals("Accepted")) {
                problems.add(id + " " + s.path("status").asText() + "/" + s.path("verdict").asText() + ": " + s.path("statusMessage").asText());
                continue;
            }
            String fileName = SdiTestHub.output(s, "sdiFileName");
            if (sdi.acceptedFiles(fileName) != 1) {
                problems.add(id + ": SDI took " + sdi.acceptedFiles(fileName) + " files named " + fileName);
            }
            if (!"NE EC01".equals(SdiTestHub.output(s, "sdiOutcome"))) {
                problems.add(id + ": outcome " + SdiTestHub.output(s, "sdiOutcome"));
            }
            resent += sdi.calls(fileName) - 1;
        }
        System.out.printf("[sdi-crash] %d submissions; at the kill %s; after the restart all terminal in %.1f s; "
                        + "%d file(s) sent again under the same name; test %.1f s%n",
                ids.size(), beforeKill, drained, resent, (System.nanoTime() - started) / 1e9);
        assertThat(problems).as("per-submission problems").isEmpty();
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
    }

    private Process startHub(String name, List<String> arguments) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-cp", classpath, "io.einvoicinghub.HubApplication",
                "--hub.node-id=sdi-crash-node", "--hub.processing.concurrency=3",
                "--hub.processing.recovery-interval-seconds=2", "--hub.processing.requeue-scheduled-after-seconds=5",
                "--hub.processing.pending-poll-millis=200", "--hub.validation.warm-up-enabled=false",
                "--logging.level.root=WARN", "--logging.level.io.einvoicinghub=INFO"));
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private void waitUntilUp(Process p) throws Exception {
        try {
            new StartupWindow(uri("/api/v1/submissions?limit=1")).starting(p, System.nanoTime(), Duration.ofSeconds(240),
                    Duration.ofMillis(300));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlog: " + tail(), e);
        }
    }

    private String tail() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                b.append("\n--- ").append(log.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        }
        return b.toString();
    }

    private Map<String, Integer> statusCounts(List<String> ids) throws IOException, InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        for (String id : ids) {
            counts.merge(getJson("/api/v1/submissions/" + id).path("status").asText(), 1, Integer::sum);
        }
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
