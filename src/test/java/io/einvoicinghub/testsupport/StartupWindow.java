package io.einvoicinghub.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches a hub process start or stop by polling one API path back to back: from the first answer on, every answer
 * must be 503 {@code urn:einvoicing-hub:problem:service-unavailable} with {@code Retry-After}, or the real answer
 * (200 JSON), never a 404 or anything else (issue 7 item 6); once the real answer came it must stay. Records how
 * long the 503 window lasted.
 */
public final class StartupWindow {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNAVAILABLE = "urn:einvoicing-hub:problem:service-unavailable";

    /** One answer to one poll ({@code status} 0: no connection), {@code atMillis} after the process was started. */
    public record Poll(long atMillis, int status, String retryAfter, String type, String body) {
        @Override
        public String toString() {
            return atMillis + " ms: " + status + (retryAfter == null ? "" : " Retry-After " + retryAfter)
                    + (type == null ? "" : " " + type);
        }
    }

    /**
     * @param answers     every answer from the first one on
     * @param portOpenAt  ms from the process start to the first answer
     * @param firstOkAt   ms to the first 200 (-1 when stopping and none came)
     * @param closedAt    ms to the port closing (-1 when starting)
     */
    public record Window(List<Poll> answers, long portOpenAt, long firstOkAt, long closedAt) {
        public long unavailableAnswers() {
            return answers.stream().filter(a -> a.status() == 503).count();
        }

        /** From the port opening to the first real answer. */
        public long unavailableMillis() {
            return firstOkAt - portOpenAt;
        }

        public Map<Integer, Long> statusCounts() {
            Map<Integer, Long> counts = new TreeMap<>();
            answers.forEach(p -> counts.merge(p.status(), 1L, Long::sum));
            return counts;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final URI uri;

    public StartupWindow(URI uri) {
        this.uri = uri;
    }

    /** Polls from the process start until the real answer has come and held for {@code hold}. */
    public Window starting(Process process, long startedNanos, Duration timeout, Duration hold) throws InterruptedException {
        List<Poll> answers = new ArrayList<>();
        long firstOkAt = -1;
        while (firstOkAt < 0 || millisSince(startedNanos) < firstOkAt + hold.toMillis()) {
            assertThat(process.isAlive()).as("hub exited while starting; answers %s", answers).isTrue();
            assertThat(millisSince(startedNanos)).as("no 200 within %s; answers %s", timeout, answers)
                    .isLessThan(timeout.toMillis());
            Poll poll = poll(startedNanos);
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
        Window window = new Window(answers, answers.get(0).atMillis(), firstOkAt, -1);
        assertThat(answers).as("every answer from the port opening on").allSatisfy(StartupWindow::unavailableOrReal);
        long okAt = firstOkAt;
        assertThat(answers.stream().filter(a -> a.atMillis() > okAt)).as("answers after the first 200")
                .allSatisfy(a -> assertThat(a.status()).as("%s", a).isEqualTo(200));
        return window;
    }

    /** Polls from {@code stoppingNanos} (e.g. just after SIGTERM) until the port closes. */
    public Window stopping(long stoppingNanos, Duration timeout) throws InterruptedException {
        List<Poll> answers = new ArrayList<>();
        while (true) {
            Poll poll = poll(stoppingNanos);
            if (poll.status() == 0) {
                break;
            }
            answers.add(poll);
            assertThat(millisSince(stoppingNanos)).as("port still open after %s", timeout).isLessThan(timeout.toMillis());
        }
        long firstOk = answers.stream().filter(a -> a.status() == 200).mapToLong(Poll::atMillis).findFirst().orElse(-1);
        Window window = new Window(answers, answers.isEmpty() ? -1 : answers.get(0).atMillis(), firstOk, millisSince(stoppingNanos));
        assertThat(answers).as("every answer while stopping").allSatisfy(StartupWindow::unavailableOrReal);
        return window;
    }

    private static void unavailableOrReal(Poll a) {
        assertThat(a.status()).as("%s: %s", a, a.body()).isIn(200, 503);
        if (a.status() == 503) {
            assertThat(a.type()).as("%s", a).isEqualTo(UNAVAILABLE);
            assertThat(a.retryAfter()).as("%s", a).isNotBlank().containsOnlyDigits();
        } else {
            assertThat(a.body()).as("%s", a).startsWith("{").contains("\"items\"");
        }
    }

    private Poll poll(long since) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    ? JSON.readTree(r.body()).path("type").asText() : null;
            return new Poll(millisSince(since), r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), type, r.body());
        } catch (IOException notOpen) {
            return new Poll(millisSince(since), 0, null, null, notOpen.toString());
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
