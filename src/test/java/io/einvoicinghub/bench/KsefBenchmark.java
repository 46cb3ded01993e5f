package io.einvoicinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.ksef.simulator.KsefSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * KSeF under load (issue 8): {@code documents} submissions of the KSeF samples against a simulator that takes
 * {@code delayMillis} to verify each invoice. Figures: drain time, hub threads while runs are Pending (against the
 * idle hub's threads, measured in the same run), and how long after KSeF's verdict was ready the hub had the run
 * Completed (p50/p95). Started by {@code bench/ksef.sh}, which starts the hub pointed at {@code simulatorPort};
 * this client runs the KSeF simulator there itself, so it can read when each verdict became ready. With
 * {@code hold=true} the simulator holds every invoice in status 150 until all are Pending: see {@link PendingAtScale}.
 */
public final class KsefBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("baseUrl", "http://127.0.0.1:8080", "documents", "1000",
                "clients", "8", "samples", "samples/ksef", "delayMillis", "2000", "simulatorPort", "8099", "token", "",
                "nip", "5265877635"));
        a.putAll(Map.of("hold", "false", "holdSeconds", "60", "hubPid", ""));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String base = a.get("baseUrl");
        int documents = Integer.parseInt(a.get("documents"));
        int clients = Integer.parseInt(a.get("clients"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<ObjectNode> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(a.get("samples")))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                samples.add((ObjectNode) JSON.readTree(f.toFile()));
            }
        }
        KsefSimulator ksef = new KsefSimulator().registerKsefToken(a.get("token"), a.get("nip"))
                .processingDelay(Duration.ofMillis(Long.parseLong(a.get("delayMillis"))))
                .start(Integer.parseInt(a.get("simulatorPort")));
        int idleThreads = threads(http, base);
        PendingAtScale.Idle idle = PendingAtScale.Idle.of(http, base);
        if (Boolean.parseBoolean(a.get("hold"))) {
            ksef.hold(); // every invoice stays in status 150 until PendingAtScale releases them
        }
        String tag = Long.toString(System.currentTimeMillis(), 36);

        // ---- submit everything (open loop), sampling the hub's threads and Pending count meanwhile ----------------
        AtomicInteger peakPending = new AtomicInteger();
        AtomicInteger threadsAtPeak = new AtomicInteger();
        AtomicInteger maxThreads = new AtomicInteger();
        AtomicLong sampling = new AtomicLong(1);
        Thread sampler = new Thread(() -> {
            while (sampling.get() == 1) {
                try {
                    int pending = count(http, base, "Pending");
                    int t = threads(http, base);
                    maxThreads.accumulateAndGet(t, Math::max);
                    if (pending > peakPending.get()) {
                        peakPending.set(pending);
                        threadsAtPeak.set(t);
                    }
                    Thread.sleep(250);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long submitStart = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < documents) {
                    ObjectNode body = samples.get(i % samples.size()).deepCopy();
                    ((ObjectNode) body.get("context")).put("erpDocumentId", "BENCH-KSEF-" + tag + "-" + i);
                    ((ObjectNode) body.get("document")).put("number", "FV/" + tag + "/" + i);
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/submissions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException("Not accepted: " + r.statusCode() + " " + r.body());
                    }
                    ids.add(JSON.readTree(r.body()).get("id").asText());
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, java.util.concurrent.TimeUnit.MINUTES);
        double submitSeconds = (System.nanoTime() - submitStart) / 1e9;
        if (ids.size() != documents) {
            throw new IllegalStateException("Only " + ids.size() + " of " + documents + " accepted");
        }

        if (Boolean.parseBoolean(a.get("hold"))) {
            sampling.set(0);
            PendingAtScale.measure(http, base, ksef, ids, idle, submitSeconds, clients,
                    Integer.parseInt(a.get("holdSeconds")), a.get("hubPid"));
            ksef.close();
            return;
        }

        // ---- wait until all are terminal ------------------------------------------------------------------------
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        while (count(http, base, "Completed") + count(http, base, "Failed") < documents && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        sampling.set(0);

        // ---- per submission: accepted, Pending, Completed, verdict; KSeF's ready time ----------------------------
        Map<String, Instant> readyAt = ksef.readyAtByHash();
        int received = ksef.receivedTotal();
        List<Long> afterReady = new ArrayList<>();
        OffsetDateTime first = null;
        OffsetDateTime last = null;
        Map<String, Integer> verdicts = new HashMap<>();
        Map<String, JsonNode> byId = new ConcurrentHashMap<>();
        for (String id : ids) {
            JsonNode s = get(http, base + "/api/v1/submissions/" + id);
            byId.put(id, s);
            verdicts.merge(s.path("status").asText() + "/" + s.path("verdict").asText(), 1, Integer::sum);
            OffsetDateTime created = OffsetDateTime.parse(s.path("createdAt").asText());
            first = first == null || created.isBefore(first) ? created : first;
            if (!s.path("finishedAt").isMissingNode() && !s.path("finishedAt").isNull()) {
                OffsetDateTime finished = OffsetDateTime.parse(s.path("finishedAt").asText());
                last = last == null || finished.isAfter(last) ? finished : last;
                if (!readyAt.isEmpty()) {
                    byte[] fa3 = download(http, base, s);
                    Instant ready = readyAt.get(sha256(fa3));
                    if (ready != null) {
                        afterReady.add(Duration.between(ready, finished.toInstant()).toMillis());
                    }
                }
            }
        }
        Collections.sort(afterReady);
        double drain = Duration.between(first, last).toMillis() / 1000.0;
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("KSeF documents", documents + " submitted by " + clients + " clients in " + String.format(Locale.ROOT, "%.1f s", submitSeconds)
                + "; outcomes " + verdicts);
        summary.put("simulator verification delay", a.get("delayMillis") + " ms per invoice");
        summary.put("drain time", String.format(Locale.ROOT, "%.1f s (first accepted -> last Completed, hub clock); %.1f documents/s",
                drain, documents / drain));
        summary.put("hub threads", "idle before the run " + idleThreads + "; at the peak of " + peakPending.get()
                + " Pending runs " + threadsAtPeak.get() + "; most during the run " + maxThreads.get());
        summary.put("KSeF ready -> Completed", afterReady.isEmpty() ? "- (no simulator ready times)"
                : String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, max %d ms (%d documents)", pct(afterReady, 50),
                pct(afterReady, 95), afterReady.get(afterReady.size() - 1), afterReady.size()));
        summary.put("invoices KSeF received", received + " (each document once: " + (received == documents) + ")");
        summary.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-30s %s%n", k, v));
        ksef.close();
    }

    private static byte[] download(HttpClient http, String base, JsonNode s) throws Exception {
        for (JsonNode artifact : s.path("artifacts")) {
            if (artifact.path("name").asText().equals("fa3.xml")) {
                return http.send(HttpRequest.newBuilder(URI.create(base + artifact.path("href").asText())).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
            }
        }
        return new byte[0];
    }

    static int count(HttpClient http, String base, String status) throws Exception {
        JsonNode counts = get(http, base + "/api/v1/submissions/counts");
        JsonNode byStatus = counts.path("byStatus");
        if (byStatus.isObject()) {
            return byStatus.path(status).asInt();
        }
        return counts.path(status).asInt();
    }

    static int threads(HttpClient http, String base) throws Exception {
        JsonNode m = get(http, base + "/actuator/metrics/jvm.threads.live");
        return m.path("measurements").get(0).path("value").asInt();
    }

    static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static String sha256(byte[] content) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
