package io.einvoicinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.tools.LargeInvoiceGenerator;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.XmlInput;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Benchmark client for a running hub (started by {@code bench/run.sh}); not a test. Measures
 * <ol>
 *   <li>end-to-end throughput and latency (submit → Completed, polled) of the valid samples with C clients,</li>
 *   <li>the floor: bare official validation of the same generated UBL files in-process, with as many threads as
 *       the hub's processing concurrency, and the ratio end-to-end / bare,</li>
 *   <li>the 10,000-line invoice: submit → Completed time, transform and validate step durations,</li>
 * </ol>
 * and the hub's peak heap during each part (polled from {@code /actuator/metrics/jvm.memory.used?tag=area:heap}).
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.einvoicinghub.bench.Benchmark
 *     baseUrl=http://127.0.0.1:8080 documents=400 clients=4 hubConcurrency=2 largeLines=10000</pre>
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE_SET = "de.xrechnung:ubl-invoice:3.0.2";
    private static final String CREDIT_NOTE_RULE_SET = "de.xrechnung:ubl-creditnote:3.0.2";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String tag = Long.toString(System.currentTimeMillis(), 36);

    /** step name -> {sum of durationMillis, count}, over the end-to-end run's completed submissions */
    private final Map<String, long[]> stepMillis = new LinkedHashMap<>();
    /** the same for the phases between status changes in the history */
    private final Map<String, long[]> phaseMillis = new LinkedHashMap<>();

    private final long pollMillis;

    private Benchmark(String base, long pollMillis) {
        this.base = base;
        this.pollMillis = pollMillis;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("baseUrl", "http://127.0.0.1:8080", "documents", "400",
                "clients", "8", "hubConcurrency", "2", "largeLines", "10000", "warmup", "50", "samples", "samples/valid",
                "pollMillis", "250", "hubPid", "0"));
        a.put("rate", "0");
        a.put("rateSeconds", "60");
        a.put("rateSteps", "auto");
        a.put("stepSeconds", "20");
        a.put("services", ""); // the backing services' processes (pids or process names, e.g. 1234,postgres) for their CPU
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Benchmark b = new Benchmark(a.get("baseUrl"), Long.parseLong(a.get("pollMillis")));
        int documents = Integer.parseInt(a.get("documents"));
        int clients = Integer.parseInt(a.get("clients"));
        int hubConcurrency = Integer.parseInt(a.get("hubConcurrency"));
        List<Integer> largeSizes = java.util.Arrays.stream(a.get("largeLines").split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).map(Integer::parseInt).filter(x -> x > 0).toList();
        double rate = Double.parseDouble(a.get("rate"));
        int rateSeconds = Integer.parseInt(a.get("rateSeconds"));
        List<Double> rateSteps = rateSteps(a.get("rateSteps"), rate);
        int stepSeconds = Integer.parseInt(a.get("stepSeconds"));
        List<ObjectNode> samples = loadSamples(Path.of(a.get("samples")));
        Map<String, String> summary = new LinkedHashMap<>();
        ProcessCpu hubCpu = new ProcessCpu(Long.parseLong(a.get("hubPid")));
        ServicesCpu servicesCpu = new ServicesCpu(List.of(a.get("services").split(",")).stream().filter(x -> !x.isBlank()).toList());
        summary.put("machine", Runtime.getRuntime().availableProcessors() + " cores visible to the client; hub JVM flags: "
                + System.getProperty("bench.hubFlags", "-"));
        summary.put("stack", System.getProperty("bench.stack", "embedded (H2 file database, embedded Artemis)"));

        // ---- warm-up pass (JIT, rule sets, connection pools) ----------------------------------------------------
        int warmup = Integer.parseInt(a.get("warmup"));
        if (warmup > 0) {
            Run w = b.endToEnd("W", samples, warmup, clients, false);
            System.out.printf(Locale.ROOT, "warm-up: %d documents in %.1f s (done %s, for a profile's time window)%n",
                    warmup, w.seconds, java.time.Instant.now());
        }

        if (documents > 0) { // documents=0: only the open loop and the large invoices
            // ---- 1. end to end: capacity (open loop) and latency under light load (closed loop) -------------------
            HeapSampler heap = b.new HeapSampler();
            heap.start();
            long cpu0 = hubCpu.millis();
            long services0 = servicesCpu.millis();
            Map<String, Long> threads0 = hubCpu.byThreadGroup();
            Run run = b.endToEnd("E", samples, documents, clients, false);
            long cpuE2e = hubCpu.millis() - cpu0;
            long servicesE2e = servicesCpu.millis() - services0;
            Map<String, Long> threadsE2e = hubCpu.byThreadGroup();
            threads0.forEach((group, ms) -> threadsE2e.merge(group, -ms, Long::sum));
            System.out.println("end-to-end run done " + java.time.Instant.now());
            Run light = b.endToEnd("L", samples, Math.max(clients * 10, 50), clients, true);
            long peakE2e = heap.stop();
            List<Long> lat = new ArrayList<>(run.latenciesMillis);
            Collections.sort(lat);
            List<Long> lightLat = new ArrayList<>(light.latenciesMillis);
            Collections.sort(lightLat);
            double e2eRate = run.completed / run.seconds;
            summary.put("end-to-end documents", run.completed + " completed of " + documents + " (" + run.notCompleted
                    + " not Completed), submitted by " + clients + " clients without waiting");
            summary.put("end-to-end throughput", String.format(Locale.ROOT,
                    "%.1f documents/s (first accepted -> last Completed: %.1f s, hub clock)", e2eRate, run.seconds));
            summary.put("latency at full load", String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (accepted -> Completed, incl. queueing)",
                    pct(lat, 50), pct(lat, 95), pct(lat, 99), lat.isEmpty() ? 0 : lat.get(lat.size() - 1)));
            summary.put("latency, closed loop", String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms (%d documents, %d clients each waiting for its document)",
                    pct(lightLat, 50), pct(lightLat, 95), pct(lightLat, 99), light.completed, clients));
            List<Long> sub = new ArrayList<>(run.submitMillis);
            Collections.sort(sub);
            summary.put("latency submit->202", String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms",
                    pct(sub, 50), pct(sub, 95), pct(sub, 99)));
            summary.put("hub peak heap (end-to-end)", mib(peakE2e));
            if (hubCpu.known()) {
                summary.put("hub CPU per document", String.format(Locale.ROOT,
                        "%.1f ms (hub process CPU during the end-to-end run / %d documents, incl. HTTP intake and the client's polling)",
                        cpuE2e / (double) documents, documents));
                StringBuilder split = new StringBuilder();
                threadsE2e.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(e -> split.append(e.getKey()).append(' ')
                                .append(String.format(Locale.ROOT, "%.1f", e.getValue() / (double) documents)).append(", "));
                summary.put("hub CPU per document by thread", split.length() == 0 ? "-"
                        : split.substring(0, split.length() - 2) + " ms (threads alive at the end of the run)");
                // the JIT compiles methods that run once per document only after thousands of documents: its share
                // is the warm-up still going on, which a hub that has run for hours no longer pays
                summary.put("hub CPU per document, no JIT", String.format(Locale.ROOT,
                        "%.1f ms (the figure above without the JIT compiler threads: the steady state)",
                        (cpuE2e - threadsE2e.getOrDefault("JIT", 0L)) / (double) documents));
            }
            if (!servicesCpu.processes().isEmpty()) {
                summary.put("services CPU per document", String.format(Locale.ROOT,
                        "%.1f ms (%s, during the end-to-end run); hub + services %.1f ms",
                        servicesE2e / (double) documents, a.getOrDefault("servicesLabel", String.join(", ", servicesCpu.processes())),
                        (cpuE2e + servicesE2e) / (double) documents));
            }

            // ---- 2. the floor: bare official validation of the generated UBL -----------------------------------------
            List<byte[]> ubl = b.downloadOutputs(run.completedIds);
            StringBuilder means = new StringBuilder();
            b.stepMillis.forEach((name, sc) -> means.append(name).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", sc[0] / (double) sc[1])).append(" ms, "));
            summary.put("mean step durations", means.length() == 0 ? "-" : means.substring(0, means.length() - 2));
            StringBuilder phases = new StringBuilder();
            b.phaseMillis.forEach((name, sc) -> phases.append(name).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", sc[0] / (double) sc[1])).append(" ms, "));
            summary.put("mean phase durations", phases.length() == 0 ? "-" : phases.substring(0, phases.length() - 2));
            Bare bare = bareValidation(ubl, hubConcurrency);
            summary.put("bare validation", String.format(Locale.ROOT, "%.1f documents/s (%d documents, %d threads, %d invalid)",
                    bare.rate, ubl.size(), hubConcurrency, bare.invalid));
            summary.put("bare validation CPU", String.format(Locale.ROOT, "%.1f ms per document (CPU of the validating threads)",
                    bare.cpuMillisPerDocument));
            summary.put("ratio end-to-end / bare", String.format(Locale.ROOT, "%.2f (target >= 0.8)", e2eRate / bare.rate));
            if (hubCpu.known()) {
                summary.put("ratio of CPU bare / hub", String.format(Locale.ROOT,
                        "%.2f (bare CPU-ms per document / hub CPU-ms per document); %.2f without the hub's JIT",
                        bare.cpuMillisPerDocument / (cpuE2e / (double) documents),
                        bare.cpuMillisPerDocument / ((cpuE2e - threadsE2e.getOrDefault("JIT", 0L)) / (double) documents)));
            }
        }

        // ---- 3. open loop at a fixed rate: latency under a steady load -------------------------------------------
        if (rate > 0) {
            long cpuR0 = hubCpu.millis();
            OpenLoop open = b.openLoop(samples, rate, rateSeconds);
            long cpuR = hubCpu.millis() - cpuR0;
            List<Long> rl = new ArrayList<>(open.latenciesMillis);
            Collections.sort(rl);
            summary.put("open loop", String.format(Locale.ROOT,
                    "%.1f documents/s offered for %d s: %d accepted, %d refused, %d Completed, %d late sends (> 100 ms behind schedule)",
                    rate, rateSeconds, open.submitted, open.refused, rl.size(), open.lateSends));
            summary.put("open-loop latency", String.format(Locale.ROOT,
                    "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (accepted -> Completed, hub clock)",
                    pct(rl, 50), pct(rl, 95), pct(rl, 99), rl.isEmpty() ? 0 : rl.get(rl.size() - 1)));
            summary.put("open-loop backlog", String.format(Locale.ROOT,
                    "%.1f s after the last submission until the last Completed", open.drainSeconds));
            if (hubCpu.known() && open.submitted > 0) {
                summary.put("open-loop hub CPU", String.format(Locale.ROOT, "%.1f ms per document, %.0f %% of one core",
                        cpuR / (double) open.submitted, 100.0 * cpuR / (1000.0 * (rateSeconds + open.drainSeconds))));
            }
            // ---- 3b. the highest rate the hub sustains: higher rates, stepSeconds each, until the backlog grows ----
            double sustained = open.drainSeconds <= MAX_DRAIN_SECONDS && open.refused == 0 ? rate : 0;
            String sustainedLatency = sustained > 0 ? latencyLine(rl) : "-";
            StringBuilder steps = new StringBuilder();
            for (double stepRate : sustained > 0 ? rateSteps : List.<Double>of()) {
                OpenLoop step = b.openLoop(samples, stepRate, stepSeconds);
                List<Long> sl = new ArrayList<>(step.latenciesMillis);
                Collections.sort(sl);
                int offered = (int) Math.round(stepRate * stepSeconds);
                boolean kept = step.refused == 0 && step.submitted == offered && step.drainSeconds <= MAX_DRAIN_SECONDS
                        && sl.size() == step.submitted && step.lateSends <= step.submitted / 100;
                steps.append(String.format(Locale.ROOT, "%.0f/s: drain %.1f s, p99 %d ms%s; ", stepRate,
                        step.drainSeconds, pct(sl, 99), kept ? "" : " (backlog grows)"));
                if (!kept) {
                    break;
                }
                sustained = stepRate;
                sustainedLatency = latencyLine(sl);
            }
            if (!rateSteps.isEmpty() && sustained == 0) {
                summary.put("highest sustained rate", String.format(Locale.ROOT,
                        "below the fixed rate %.1f documents/s (its backlog took %.1f s to drain); no higher rate tried",
                        rate, open.drainSeconds));
            } else if (!rateSteps.isEmpty()) {
                summary.put("highest sustained rate", String.format(Locale.ROOT,
                        "%.0f documents/s (%s) — steps of %d s, sustained = drained within %.0f s of the last send: %s",
                        sustained, sustainedLatency, stepSeconds, MAX_DRAIN_SECONDS,
                        steps.length() == 0 ? "none run" : steps.substring(0, steps.length() - 2)));
            }
        }

        // ---- 4. large invoices: time linear in lines? -------------------------------------------------------------
        List<double[]> perLine = new ArrayList<>();
        record LargeRun(int lines, boolean warmUp) {
        }
        List<LargeRun> largeRuns = new ArrayList<>();
        if (!largeSizes.isEmpty()) {
            // the code only large documents run (per-line paths of the transform and the rules) is compiled by the JIT
            // during the first of them: one of the smallest size first, not counted, so that the sizes compare
            largeRuns.add(new LargeRun(largeSizes.stream().min(Integer::compare).orElseThrow(), true));
        }
        largeSizes.forEach(lines -> largeRuns.add(new LargeRun(lines, false)));
        for (LargeRun run : largeRuns) {
            int largeLines = run.lines();
            boolean warmUpRun = run.warmUp();
            String key = warmUpRun ? "large warm-up" : largeSizes.size() == 1 ? "large" : "large " + largeLines;
            String large = LargeInvoiceGenerator.generate(largeLines);
            ObjectNode body = (ObjectNode) JSON.readTree(large);
            ((ObjectNode) body.get("context")).put("erpDocumentId", "BENCH-LARGE-" + largeLines + (warmUpRun ? "-W-" : "-") + b.tag);
            byte[] bytes = JSON.writeValueAsBytes(body);
            large = null;
            body = null;
            HeapSampler largeHeap = b.new HeapSampler();
            largeHeap.start();
            long t0 = System.nanoTime();
            HttpResponse<String> r = b.post(bytes);
            long submitted = System.nanoTime();
            if (r.statusCode() != 202) {
                summary.put(key + " invoice", "refused: " + r.statusCode() + " " + r.body());
            } else {
                String id = JSON.readTree(r.body()).get("id").asText();
                JsonNode done = b.awaitTerminal(id, Duration.ofMinutes(20));
                long peak = largeHeap.stop();
                // the upload until the 202, then the hub's own clock (createdAt -> finishedAt): no polling interval in it
                long hubMillis = done.hasNonNull("finishedAt") ? Duration.between(java.time.Instant.parse(done.get("createdAt").asText()),
                        java.time.Instant.parse(done.get("finishedAt").asText())).toMillis() : -1;
                long totalMillis = (submitted - t0) / 1_000_000 + hubMillis;
                StringBuilder steps = new StringBuilder();
                long stepSum = 0;
                for (JsonNode step : done.get("steps")) {
                    steps.append(step.get("name").asText()).append(' ').append(step.path("durationMillis").asLong())
                            .append(" ms, ");
                    stepSum += step.path("durationMillis").asLong();
                }
                summary.put(key + " invoice", String.format(Locale.ROOT, "%d lines, %.1f MiB JSON, status %s%s", largeLines,
                        bytes.length / 1048576.0, done.get("status").asText(), warmUpRun ? " (not counted)" : ""));
                summary.put(key + " submit (HTTP 202)", String.format(Locale.ROOT, "%d ms", (submitted - t0) / 1_000_000));
                summary.put(key + " submit->Completed", String.format(Locale.ROOT, "%d ms (upload to the 202, then the hub's createdAt -> finishedAt)", totalMillis));
                summary.put(key + " steps", steps.length() == 0 ? "-" : steps.substring(0, steps.length() - 2));
                summary.put(key + " hub peak heap", mib(peak));
                System.out.printf(Locale.ROOT, "%s: %s, submit->Completed %s, steps %s, peak heap %s%n", key,
                        summary.get(key + " invoice"), summary.get(key + " submit->Completed"), summary.get(key + " steps"),
                        summary.get(key + " hub peak heap"));
                if (!warmUpRun && "Completed".equals(done.get("status").asText())) {
                    perLine.add(new double[]{largeLines, totalMillis / (double) largeLines, stepSum / (double) largeLines});
                }
            }
            if (largeHeap.running) {
                largeHeap.stop();
            }
        }
        if (perLine.size() > 1) {
            StringBuilder per = new StringBuilder();
            double min = Double.MAX_VALUE, max = 0;
            for (double[] p : perLine) {
                per.append(String.format(Locale.ROOT, "%d lines %.3f ms, ", (long) p[0], p[1]));
                min = Math.min(min, p[1]);
                max = Math.max(max, p[1]);
            }
            double[] first = perLine.get(0), last = perLine.get(perLine.size() - 1);
            double slope = (last[1] * last[0] - first[1] * first[0]) / (last[0] - first[0]);
            summary.put("large per line", per.substring(0, per.length() - 2) + " (submit->Completed / lines)");
            summary.put("large slope", String.format(Locale.ROOT,
                    "%.3f ms per line between %d and %d lines; largest/smallest per-line time %.2f (goal <= 1.3)",
                    slope, (long) first[0], (long) last[0], max / min));
        }

        System.out.println();
        System.out.println("==================== einvoicing-hub benchmark ====================");
        summary.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-30s %s%n", k, v));
        System.out.println("==================================================================");
        // for bench/run.sh stack=both: the figures of each stack side by side
        String summaryFile = System.getProperty("bench.summaryFile");
        if (summaryFile != null) {
            StringBuilder tsv = new StringBuilder();
            summary.forEach((k, v) -> tsv.append(k).append('\t').append(v.replace('\t', ' ')).append('\n'));
            Files.writeString(Path.of(summaryFile), tsv, StandardCharsets.UTF_8);
        }
    }

    // ---- end to end -----------------------------------------------------------------------------------------------

    record Run(int completed, int notCompleted, double seconds, List<Long> latenciesMillis, List<String> completedIds,
               List<Long> submitMillis) {
    }

    /**
     * C clients submit {@code documents} documents. Closed loop ({@code waitEach}): each client waits for its
     * document to finish before sending the next, so at most C are in flight (latency under light load).
     * Open loop: clients submit as fast as the hub accepts, then every document is awaited (capacity).
     * Latency and throughput come from the hub's own createdAt/finishedAt, whatever the polling interval.
     */
    private Run endToEnd(String prefix, List<ObjectNode> samples, int documents, int clients, boolean waitEach)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> submitLatencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> completed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger other = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong firstCreated = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        java.util.concurrent.atomic.AtomicLong lastFinished = new java.util.concurrent.atomic.AtomicLong(0);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < documents) {
                    ObjectNode body = samples.get(i % samples.size()).deepCopy();
                    ((ObjectNode) body.get("context")).put("erpDocumentId", "BENCH-" + tag + "-" + prefix + i);
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = post(JSON.writeValueAsBytes(body));
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException("submit refused: " + r.statusCode() + " " + r.body());
                    }
                    submitLatencies.add((System.nanoTime() - t0) / 1_000_000);
                    String id = JSON.readTree(r.body()).get("id").asText();
                    accepted.add(id);
                    if (waitEach) {
                        record(awaitTerminal(id, Duration.ofMinutes(5)), latencies, completed, other, firstCreated, lastFinished);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        if (!waitEach) {
            for (String id : accepted) {
                record(awaitTerminal(id, Duration.ofMinutes(10)), latencies, completed, other, firstCreated, lastFinished);
            }
        }
        // from the first acceptance to the last completion, by the hub's clock
        double seconds = (lastFinished.get() - firstCreated.get()) / 1e3;
        return new Run(completed.size(), other.get(), seconds, new ArrayList<>(latencies), new ArrayList<>(completed),
                new ArrayList<>(submitLatencies));
    }

    /** submitted: accepted (202); refused: any other answer or no answer. */
    record OpenLoop(int submitted, int refused, int lateSends, double drainSeconds, List<Long> latenciesMillis) {
    }

    /**
     * A step of the sustained-rate search counts as kept up with when its last document completed within this
     * long of the last send: a hub slower than the offered rate ends a step with a backlog of
     * (rate - capacity) x stepSeconds documents, which takes longer than this to drain once it exceeds ~10 %.
     */
    private static final double MAX_DRAIN_SECONDS = 2.0;

    /** {@code auto}: from the fixed rate up in steps of 5 documents/s to 200; {@code none}; or a list "30,40,50". */
    static List<Double> rateSteps(String spec, double rate) {
        if (rate <= 0 || spec.equals("none")) {
            return List.of();
        }
        if (spec.equals("auto")) {
            List<Double> steps = new ArrayList<>();
            for (double r = Math.floor(rate / 5) * 5 + 5; r <= 200; r += 5) {
                steps.add(r);
            }
            return steps;
        }
        return java.util.Arrays.stream(spec.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .map(Double::parseDouble).filter(r -> r > rate).sorted().toList();
    }

    private static String latencyLine(List<Long> sorted) {
        return String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms", pct(sorted, 50), pct(sorted, 95), pct(sorted, 99));
    }

    /**
     * An open-loop load: one submission every 1/rate s for {@code seconds}, whatever the hub's answers (sent from a
     * pool so a slow 202 does not delay the next send), then every submission awaited. Latency: the hub's createdAt
     * to finishedAt.
     */
    private final AtomicInteger openLoops = new AtomicInteger();

    private OpenLoop openLoop(List<ObjectNode> samples, double rate, int seconds) throws Exception {
        int count = (int) Math.round(rate * seconds);
        long periodNanos = (long) (1e9 / rate);
        ExecutorService senders = Executors.newFixedThreadPool(32);
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger late = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        // each load its own ERP ids: the same id and content again would be answered with the earlier submission
        int load = openLoops.incrementAndGet();
        List<Future<?>> sends = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            } else if (wait < -100_000_000L) {
                late.incrementAndGet();
            }
            int n = i;
            sends.add(senders.submit(() -> {
                ObjectNode body = samples.get(n % samples.size()).deepCopy();
                ((ObjectNode) body.get("context")).put("erpDocumentId", "BENCH-" + tag + "-R" + load + "-" + n);
                try {
                    HttpResponse<String> r = post(JSON.writeValueAsBytes(body));
                    if (r.statusCode() == 202) {
                        accepted.add(JSON.readTree(r.body()).get("id").asText());
                    } else {
                        refused.incrementAndGet();
                    }
                } catch (IOException e) {
                    refused.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : sends) {
            f.get();
        }
        senders.shutdown();
        long lastSent = System.currentTimeMillis();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> completed = new ConcurrentLinkedQueue<>();
        AtomicInteger other = new AtomicInteger();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastFinished = new AtomicLong(0);
        for (String id : accepted) {
            record(awaitTerminal(id, Duration.ofMinutes(10)), latencies, completed, other, first, lastFinished);
        }
        return new OpenLoop(accepted.size(), refused.get(), late.get(), Math.max(0, lastFinished.get() - lastSent) / 1e3,
                new ArrayList<>(latencies));
    }

    private static void record(JsonNode s, ConcurrentLinkedQueue<Long> latencies, ConcurrentLinkedQueue<String> completed,
                               AtomicInteger other, java.util.concurrent.atomic.AtomicLong firstCreated,
                               java.util.concurrent.atomic.AtomicLong lastFinished) {
        if ("Completed".equals(s.get("status").asText())) {
            java.time.Instant createdAt = java.time.Instant.parse(s.get("createdAt").asText());
            java.time.Instant finishedAt = java.time.Instant.parse(s.get("finishedAt").asText());
            latencies.add(Duration.between(createdAt, finishedAt).toMillis());
            firstCreated.accumulateAndGet(createdAt.toEpochMilli(), Math::min);
            lastFinished.accumulateAndGet(finishedAt.toEpochMilli(), Math::max);
            completed.add(s.get("id").asText());
        } else {
            other.incrementAndGet();
            System.err.println("not completed: " + s.get("id").asText() + " " + s.get("status").asText() + " "
                    + s.path("statusMessage").asText());
        }
    }

    private JsonNode awaitTerminal(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode s = getJson("/api/v1/submissions/" + id);
            String status = s.get("status").asText();
            if (status.equals("Completed") || status.equals("Failed") || status.equals("Canceled")) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + " still " + status + " after " + timeout);
            }
            Thread.sleep(pollMillis);
        }
    }

    private List<byte[]> downloadOutputs(List<String> ids) throws IOException, InterruptedException {
        List<byte[]> files = new ArrayList<>();
        for (String id : ids) {
            JsonNode submission = getJson("/api/v1/submissions/" + id);
            for (JsonNode step : submission.get("steps")) {
                stepMillis.computeIfAbsent(step.get("name").asText(), k -> new long[2])[0] += step.path("durationMillis").asLong();
                stepMillis.get(step.get("name").asText())[1]++;
            }
            // where the time goes: createdAt -> Executing (intake commit + queue + claim), Executing -> Completed (the run)
            java.time.Instant created = java.time.Instant.parse(submission.get("createdAt").asText());
            java.time.Instant executing = null;
            for (JsonNode h : submission.get("history")) {
                java.time.Instant at = java.time.Instant.parse(h.get("at").asText());
                if ("Executing".equals(h.path("to").asText())) {
                    executing = at;
                    phaseMillis.computeIfAbsent("created->Executing", k -> new long[2])[0] += Duration.between(created, at).toMillis();
                    phaseMillis.get("created->Executing")[1]++;
                } else if ("Completed".equals(h.path("to").asText()) && executing != null) {
                    phaseMillis.computeIfAbsent("Executing->Completed", k -> new long[2])[0] += Duration.between(executing, at).toMillis();
                    phaseMillis.get("Executing->Completed")[1]++;
                }
            }
            for (JsonNode artifact : submission.get("artifacts")) {
                if ("output".equals(artifact.path("kind").asText())) {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + artifact.get("href").asText()))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() == 200) {
                        files.add(r.body());
                    }
                }
            }
        }
        return files;
    }

    // ---- bare validation -------------------------------------------------------------------------------------------

    record Bare(double rate, int invalid, double cpuMillisPerDocument) {
    }

    private static Bare bareValidation(List<byte[]> files, int threads) throws Exception {
        if (files.isEmpty()) {
            return new Bare(Double.NaN, 0, Double.NaN);
        }
        OfficialRulesValidator validator = new OfficialRulesValidator();
        validator.warmUpAsPhiveDoes(RULE_SET);
        validator.warmUpAsPhiveDoes(CREDIT_NOTE_RULE_SET);
        for (int i = 0; i < Math.min(50, files.size()); i++) {   // JIT warm-up
            validate(validator, files.get(i));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger invalid = new AtomicInteger();
        AtomicLong cpuNanos = new AtomicLong();
        java.lang.management.ThreadMXBean threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long cpuStart = threadsBean.getCurrentThreadCpuTime();
                int i;
                while ((i = next.getAndIncrement()) < files.size()) {
                    ValidationReport report = validate(validator, files.get(i));
                    if (!report.isValid()) {
                        invalid.incrementAndGet();
                    }
                }
                cpuNanos.addAndGet(threadsBean.getCurrentThreadCpuTime() - cpuStart);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Bare(files.size() / seconds, invalid.get(), cpuNanos.get() / 1e6 / files.size());
    }

    /**
     * The floor: phive's own execution of the rule set (each layer reads the document, phive's Schematron executor),
     * the invoice or the credit-note rule set by root element, not the hub's shared-tree layers (decision 0027).
     */
    private static ValidationReport validate(OfficialRulesValidator validator, byte[] xml) throws Exception {
        String root = SecureXml.parse(xml).getDocumentElement().getLocalName();
        return validator.validateAsPhiveDoes("CreditNote".equals(root) ? CREDIT_NOTE_RULE_SET : RULE_SET, XmlInput.of(xml));
    }

    // ---- the hub's CPU ---------------------------------------------------------------------------------------------

    /**
     * One /proc/<pid>/stat (or task stat): the process's or thread's name (the first 15 characters the kernel keeps)
     * and its CPU ticks (utime + stime, 100 per second on Linux), and those of its reaped children (cutime + cstime).
     */
    record ProcStat(String name, long ticks, long childTicks) {
        static ProcStat read(Path stat) throws IOException {
            String text = Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" "); // fields 3.. of stat(5)
            return new ProcStat(text.substring(text.indexOf('(') + 1, text.lastIndexOf(')')),
                    Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]));
        }
    }

    /** CPU time (user + system) of the hub's process from /proc/<pid>/stat; pid 0 = unknown. */
    record ProcessCpu(long pid) {
        boolean known() {
            return pid > 0 && Files.exists(Path.of("/proc/" + pid + "/stat"));
        }

        long millis() throws IOException {
            if (!known()) {
                return 0;
            }
            return ProcStat.read(Path.of("/proc/" + pid + "/stat")).ticks() * 10;
        }

        /**
         * CPU milliseconds of the hub's live threads by kind, from /proc/<pid>/task/<tid>/stat and the thread's name
         * (the first 15 characters the kernel keeps): where the hub's CPU goes besides the pipeline's own code.
         */
        Map<String, Long> byThreadGroup() {
            Map<String, Long> groups = new LinkedHashMap<>();
            if (!known()) {
                return groups;
            }
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        ProcStat thread = ProcStat.read(task.resolve("stat"));
                        groups.merge(threadGroup(thread.name()), thread.ticks() * 10, Long::sum);
                    } catch (IOException | RuntimeException ended) { // the thread ended between the listing and the read
                    }
                }
            } catch (IOException e) {
                return groups;
            }
            return groups;
        }

        static String threadGroup(String name) {
            if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                return "JIT";
            }
            if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM ")) {
                return "GC+VM";
            }
            if (name.startsWith("http-nio")) {
                return "HTTP";
            }
            if (name.contains("JmsConsumer") || name.startsWith("Camel (") || name.startsWith("DefaultMessageL")) {
                return "workers";
            }
            if (name.startsWith("Thread-") || name.startsWith("activemq")) { // "Thread-3 (ActiveMQ-server-...", "(org.apache.activemq..."
                return "Artemis";
            }
            if (name.startsWith("task-")) {
                return "Spring tasks";
            }
            return "other";
        }
    }

    /**
     * CPU time of the backing services (the external broker, the database server) from /proc: pids, or process names
     * (every process of that name), with their reaped children's time (a PostgreSQL backend that exits leaves its
     * time in the postmaster's cutime/cstime).
     */
    record ServicesCpu(List<String> processes) {
        long millis() throws IOException {
            long ticks = 0;
            for (String p : processes) {
                if (p.chars().allMatch(Character::isDigit)) {
                    ticks += ticks(Path.of("/proc", p, "stat"), null);
                } else {
                    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                        for (Path proc : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                            ticks += ticks(proc.resolve("stat"), p);
                        }
                    }
                }
            }
            return ticks * 10; // 100 clock ticks per second on Linux
        }

        private static long ticks(Path stat, String name) {
            try {
                ProcStat process = ProcStat.read(stat);
                return name == null || name.equals(process.name()) ? process.ticks() + process.childTicks() : 0;
            } catch (IOException | RuntimeException gone) { // the process ended between the listing and the read
                return 0;
            }
        }
    }

    // ---- the hub's heap --------------------------------------------------------------------------------------------

    /**
     * Polls the hub's used heap every 500 ms and keeps the maximum (each poll is a request the hub serves: at
     * 100 ms it was several requests per document on a slow machine, charged to the hub's CPU per document).
     */
    private final class HeapSampler {
        private final AtomicLong max = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    try {
                        JsonNode m = getJson("/actuator/metrics/jvm.memory.used?tag=area:heap");
                        max.accumulateAndGet(m.get("measurements").get(0).get("value").asLong(), Math::max);
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // keep sampling
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join(2000);
            return max.get();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/submissions")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static List<ObjectNode> loadSamples(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<ObjectNode> samples = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                samples.add((ObjectNode) JSON.readTree(f.toFile()));
            }
            return samples;
        }
    }
}
