package io.einvoicinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.ksef.simulator.KsefSimulator;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/ksef.sh hold=true} (issue 12 goal 4): every submission Pending on the KSeF simulator at once. While
 * the simulator holds them: hub heap and threads, status requests per 10 s (a herd shows as uneven windows) and hub
 * CPU per status check; then the simulator releases them all and the drain (release -> last Completed) is timed.
 */
final class PendingAtScale {

    private PendingAtScale() {
    }

    /** The idle hub's figures, taken before anything is submitted. */
    record Idle(int threads, double heapUsedMb) {
        static Idle of(HttpClient http, String base) throws Exception {
            return new Idle(KsefBenchmark.threads(http, base), PendingAtScale.heapUsedMb(http, base));
        }
    }

    static void measure(HttpClient http, String base, KsefSimulator ksef, List<String> ids, Idle idle,
                        double submitSeconds, int clients, int holdSeconds, String hubPid) throws Exception {
        int documents = ids.size();
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("KSeF documents", documents + " submitted by " + clients + " clients in "
                + String.format(Locale.ROOT, "%.1f s", submitSeconds) + " while the simulator holds them (status 150)");

        // ---- all Pending -------------------------------------------------------------------------------------------
        long waitStart = System.nanoTime();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        int pending;
        while ((pending = KsefBenchmark.count(http, base, "Pending")) < documents && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        if (pending < documents) {
            throw new IllegalStateException("only " + pending + " of " + documents + " Pending after 30 min");
        }
        summary.put("all Pending", String.format(Locale.ROOT, "%.1f s after the last was accepted",
                (System.nanoTime() - waitStart) / 1e9));

        // ---- holding: heap, threads, status requests per second, hub CPU -----------------------------------------
        Instant holdStart = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(Duration.between(Instant.now(), holdStart).toMillis());
        long cpuStart = cpuMillis(http, base, hubPid);
        int statusStart = ksef.statusRequestTotal();
        int maxThreads = 0;
        double peakHeap = 0;
        while (Instant.now().isBefore(holdStart.plusSeconds(holdSeconds))) {
            maxThreads = Math.max(maxThreads, KsefBenchmark.threads(http, base));
            peakHeap = Math.max(peakHeap, heapUsedMb(http, base));
            Thread.sleep(1000);
        }
        Instant holdEnd = holdStart.plusSeconds(holdSeconds);
        long cpu = cpuMillis(http, base, hubPid) - cpuStart;
        int statusChecks = ksef.statusRequestTotal() - statusStart;
        int[] perSecond = ksef.statusRequestsPerSecond(holdStart, holdEnd);
        int[] perWindow = new int[perSecond.length / 10];
        for (int i = 0; i < perWindow.length * 10; i++) {
            perWindow[i / 10] += perSecond[i];
        }
        int stillPending = KsefBenchmark.count(http, base, "Pending");
        summary.put("hub heap", String.format(Locale.ROOT, "idle %.0f MB used; holding %d Pending: peak %.0f MB used, "
                + "%.0f MB live after the last GC", idle.heapUsedMb(), stillPending, peakHeap, liveAfterGcMb(http, base)));
        summary.put("hub threads", "idle " + idle.threads() + "; holding, at most " + maxThreads);
        summary.put("status requests / 10 s", String.format(Locale.ROOT, "min %d, max %d, mean %.0f over %d windows "
                        + "(%s); busiest second %d, mean second %.1f", min(perWindow), max(perWindow), mean(perWindow),
                perWindow.length, Arrays.toString(perWindow), max(perSecond), mean(perSecond)));
        summary.put("hub CPU per status check", statusChecks == 0 ? "- (no status checks while holding)"
                : String.format(Locale.ROOT, "%.2f ms (%d ms CPU%s for %d checks in %d s)", (double) cpu / statusChecks,
                cpu, hubPid.isBlank() ? ", process.cpu.time" : ", /proc", statusChecks, holdSeconds));

        // ---- release: drain -----------------------------------------------------------------------------------------
        Instant released = ksef.release();
        deadline = Instant.now().plus(Duration.ofMinutes(30));
        int done;
        while ((done = KsefBenchmark.count(http, base, "Completed") + KsefBenchmark.count(http, base, "Failed")) < documents
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        OffsetDateTime last = null;
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (String id : ids) {
            JsonNode s = KsefBenchmark.get(http, base + "/api/v1/submissions/" + id);
            outcomes.merge(s.path("status").asText() + "/" + s.path("verdict").asText(), 1, Integer::sum);
            if (s.hasNonNull("finishedAt")) {
                OffsetDateTime finished = OffsetDateTime.parse(s.path("finishedAt").asText());
                last = last == null || finished.isAfter(last) ? finished : last;
            }
        }
        double drain = last == null ? Double.NaN : Duration.between(released, last.toInstant()).toMillis() / 1000.0;
        summary.put("drain after release", String.format(Locale.ROOT, "%.1f s (release -> last Completed; %d of %d "
                + "finished); %.1f documents/s; outcomes %s", drain, done, documents, documents / drain, outcomes));
        int received = ksef.receivedTotal();
        summary.put("invoices KSeF received", received + " (each document once: " + (received == documents) + ")");
        summary.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-30s %s%n", k, v));
    }

    private static double heapUsedMb(HttpClient http, String base) throws Exception {
        return value(KsefBenchmark.get(http, base + "/actuator/metrics/jvm.memory.used?tag=area:heap")) / 1048576.0;
    }

    /** Old generation after the last full collection: what the Pending runs keep alive, garbage aside. */
    private static double liveAfterGcMb(HttpClient http, String base) throws Exception {
        return value(KsefBenchmark.get(http, base + "/actuator/metrics/jvm.gc.live.data.size")) / 1048576.0;
    }

    /** The hub's CPU time: from /proc when its pid is known (the same machine), else its process.cpu.time metric. */
    private static long cpuMillis(HttpClient http, String base, String hubPid) throws Exception {
        if (!hubPid.isBlank()) {
            String stat = Files.readString(Path.of("/proc", hubPid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100/s on Linux)
            return ticks * 10;
        }
        return (long) (value(KsefBenchmark.get(http, base + "/actuator/metrics/process.cpu.time")) * 1000);
    }

    private static double value(JsonNode metric) {
        return metric.path("measurements").get(0).path("value").asDouble();
    }

    private static int min(int[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static int max(int[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static double mean(int[] v) {
        return Arrays.stream(v).average().orElse(0);
    }
}
