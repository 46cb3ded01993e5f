package io.einvoicinghub.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.einvoicinghub.api.ProblemType;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7 item 6 measured on the real thing: the hub starts as a child JVM with its default configuration (only
 * the port and data folder set) and {@code GET /api/v1/submissions} is polled back to back from before the port
 * opens. From the first answer on, every answer must be 503 {@code service-unavailable} with {@code Retry-After}
 * or the real list (200), never a 404 or anything else, and once the list came it stays. The same holds while the
 * hub stops after SIGTERM, until the port closes. The lengths of both windows are printed ({@code [start-up]}).
 *
 * <p>Alone: {@code ./mvnw -o -q test -Dtest=StartupWindowIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class StartupWindowIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private Process hub;
    private int port;

    /** One answer (or none: {@code status} 0) to one poll, {@code atMillis} after the process was started. */
    record Poll(long atMillis, int status, String retryAfter, String type, String body) {
        @Override
        public String toString() {
            return atMillis + " ms: " + status + (retryAfter == null ? "" : " Retry-After " + retryAfter)
                    + (type == null ? "" : " " + type);
        }
    }

    @AfterEach
    void stopHub() throws InterruptedException {
        if (hub != null && hub.isAlive()) {
            hub.destroyForcibly();
            hub.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void fromThePortOpeningTheApiAnswers503WithRetryAfterOrTheRealAnswer() throws Exception {
        port = freePort();
        long started = System.nanoTime();
        hub = startHub();

        // ---- start-up: poll until the real answer has come and held for a second ----------------------------
        List<Poll> answers = new ArrayList<>();
        long firstOkAt = -1;
        while (firstOkAt < 0 || millisSince(started) < firstOkAt + 1000) {
            assertThat(hub.isAlive()).as("hub exited; log:\n%s", log()).isTrue();
            assertThat(millisSince(started)).as("hub not answering 200 within 150 s; answers %s", answers).isLessThan(150_000);
            Poll poll = poll(started);
            if (poll.status() == 0) {
                assertThat(answers).as("the port closed again after answering").isEmpty();
                Thread.sleep(5);
                continue;
            }
            answers.add(poll);
            if (poll.status() == 200 && firstOkAt < 0) {
                firstOkAt = poll.atMillis();
            }
        }
        long portOpenAt = answers.get(0).atMillis();
        List<Poll> unavailable = answers.stream().filter(a -> a.status() == 503).toList();
        long lastUnavailableAt = unavailable.isEmpty() ? -1 : unavailable.get(unavailable.size() - 1).atMillis();
        System.out.printf("[start-up] port open after %d ms; %d answers 503 from %d to %d ms (window %d ms until the "
                        + "first 200 at %d ms); %d answers in all, statuses %s%n", portOpenAt, unavailable.size(), portOpenAt,
                lastUnavailableAt, firstOkAt - portOpenAt, firstOkAt, answers.size(), statusCounts(answers));

        assertThat(answers).as("every answer from the port opening on").allSatisfy(StartupWindowIT::isUnavailableOrReal);
        long okAt = firstOkAt;
        assertThat(answers.stream().filter(a -> a.atMillis() > okAt)).as("after the first 200")
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(200));

        // ---- shut-down: SIGTERM, poll until the port closes -------------------------------------------------
        long stopping = System.nanoTime();
        hub.destroy();
        List<Poll> whileStopping = new ArrayList<>();
        while (true) {
            Poll poll = poll(stopping);
            if (poll.status() == 0) {
                break;
            }
            whileStopping.add(poll);
            assertThat(millisSince(stopping)).as("port still open 60 s after SIGTERM").isLessThan(60_000);
        }
        long closedAt = millisSince(stopping);
        assertThat(hub.waitFor(60, TimeUnit.SECONDS)).as("hub stopped after SIGTERM").isTrue();
        List<Poll> stoppingUnavailable = whileStopping.stream().filter(a -> a.status() == 503).toList();
        System.out.printf("[start-up] after SIGTERM: %d answers (%s), first 503 at %s ms, port closed at %d ms, "
                        + "process exited at %d ms%n", whileStopping.size(), statusCounts(whileStopping),
                stoppingUnavailable.isEmpty() ? "-" : stoppingUnavailable.get(0).atMillis(), closedAt, millisSince(stopping));
        assertThat(whileStopping).as("every answer while stopping").allSatisfy(StartupWindowIT::isUnavailableOrReal);
    }

    private static void isUnavailableOrReal(Poll a) {
        assertThat(a.status()).as("%s: %s", a, a.body()).isIn(200, 503);
        if (a.status() == 503) {
            assertThat(a.type()).as("%s", a).isEqualTo(ProblemType.SERVICE_UNAVAILABLE.uri());
            assertThat(a.retryAfter()).as("%s", a).isNotBlank().containsOnlyDigits();
        } else {
            assertThat(a.body()).as("%s", a).startsWith("{").contains("\"items\"");
        }
    }

    private Poll poll(long since) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/submissions"))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String type = null;
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                JsonNode problem = JSON.readTree(r.body());
                type = problem.path("type").asText();
            }
            return new Poll(millisSince(since), r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), type, r.body());
        } catch (IOException notOpen) {
            return new Poll(millisSince(since), 0, null, null, notOpen.toString());
        }
    }

    private static String statusCounts(List<Poll> polls) {
        java.util.Map<Integer, Long> counts = new java.util.TreeMap<>();
        polls.forEach(p -> counts.merge(p.status(), 1L, Long::sum));
        return counts.toString();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The hub as an operator starts it: the default configuration, only the port and the data folder chosen. */
    private Process startHub() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx512m", "-cp", classpath, "io.einvoicinghub.HubApplication",
                "--hub.data-dir=" + dataDir.resolve("data"), "--server.port=" + port);
        return new ProcessBuilder(command).directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("hub.log").toFile()).start();
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("hub.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
