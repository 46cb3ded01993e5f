package io.einvoicinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.einvoicinghub.inbound.DetectedDocument;
import io.einvoicinghub.inbound.FormatDetector;
import io.einvoicinghub.inbound.InboundBenchSupport;
import io.einvoicinghub.inbound.SftpTestServer;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.ValidationReport;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Inbound benchmark (bench/inbound.sh): received documents per second through SFTP and through the HTTP upload, with
 * the time from arrival to ready-for-ERP (receipt Converted), beside bare official validation of the same files in the
 * same run. Starts an SFTP server (MINA SSHD) in this JVM and the hub as a child process from the project root.
 *
 * <p>Arrival: SFTP — the client's rename of the uploaded file into the polled folder (what a sender's upload
 * completes with); HTTP — the request sent. Ready: the receipt's {@code convertedAt} (the hub's clock, the same
 * machine). Throughput: documents / (first arrival → last ready).
 */
public final class InboundBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("files", "500", "clients", "4", "warmup", "200", "pollMillis", "200"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !a.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + " (known: " + a.keySet() + ")");
            }
            a.put(kv[0], kv[1]);
        }
        int files = Integer.parseInt(a.get("files"));
        int clients = Integer.parseInt(a.get("clients"));
        int warmup = Integer.parseInt(a.get("warmup"));
        Path dir = Files.createTempDirectory("einvoicing-inbound-bench");
        try (SftpTestServer sftp = new SftpTestServer(dir.resolve("sftp")).start()) {
            Path home = sftp.passwordUser("vendor", "bench-password");
            Path inbox = Files.createDirectories(home.resolve("inbox"));
            Files.createDirectories(home.resolve("upload"));
            Path data = dir.resolve("data");
            Properties secrets = new Properties();
            secrets.setProperty("sftp-password", "bench-password");
            Files.createDirectories(data.resolve("secrets"));
            try (OutputStream out = Files.newOutputStream(data.resolve("secrets/secrets.properties"))) {
                secrets.store(out, null);
            }
            int port = freePort();
            String tag = Long.toString(System.currentTimeMillis(), 36);
            byte[] template = InboundBenchSupport.invoice();
            Process hub = startHub(dir, data, port, sftp, a.get("pollMillis"));
            try {
                Bench bench = new Bench(port);
                bench.waitUntilUp(hub);
                System.out.println("[inbound-bench] hub up; warm-up " + warmup + " uploads (not counted)");
                List<byte[]> warm = invoices(template, "WARM-" + tag, warmup);
                bench.upload(warm, clients, new ConcurrentHashMap<>());

                List<byte[]> overHttp = invoices(template, "HTTP-" + tag, files);
                Map<String, Instant> httpArrivals = new ConcurrentHashMap<>();
                bench.upload(overHttp, clients, httpArrivals);
                Map<String, Instant> httpReady = bench.awaitReady("HTTP-" + tag, files);

                List<byte[]> overSftp = invoices(template, "SFTP-" + tag, files);
                Map<String, Instant> sftpArrivals = new ConcurrentHashMap<>();
                sftpUpload(sftp.port(), overSftp, "SFTP-" + tag, sftpArrivals);
                Map<String, Instant> sftpReady = bench.awaitReady("SFTP-" + tag, files);

                double bare = bareValidation(overSftp, 2);
                Map<String, String> summary = new LinkedHashMap<>();
                summary.put("documents", files + " per channel (one Peppol BIS 3 UBL invoice, ~"
                        + template.length / 1024 + " KiB, unique numbers), warm-up " + warmup);
                summary.put("SFTP", figures(sftpArrivals, sftpReady) + ", 1 route, poll every " + a.get("pollMillis") + " ms");
                summary.put("HTTP upload", figures(httpArrivals, httpReady) + ", " + clients + " clients");
                summary.put("bare validation", String.format(Locale.ROOT, "%.1f documents/s (same files, 2 threads, in the client JVM)", bare));
                System.out.println();
                summary.forEach((k, v) -> System.out.printf("%-22s %s%n", k, v));
                long leftInInbox;
                try (var left = Files.list(inbox)) {
                    leftInInbox = left.filter(Files::isRegularFile).count();
                }
                System.out.printf("%-22s %d%n", "files left in inbox", leftInInbox);
            } finally {
                hub.destroy();
                hub.waitFor(60, TimeUnit.SECONDS);
                if (hub.isAlive()) {
                    hub.destroyForcibly();
                }
            }
        }
    }

    private static String figures(Map<String, Instant> arrivals, Map<String, Instant> ready) {
        List<Long> latencies = new ArrayList<>();
        Instant first = Collections.min(arrivals.values());
        Instant last = Collections.max(ready.values());
        arrivals.forEach((number, at) -> latencies.add(Duration.between(at, ready.get(number)).toMillis()));
        Collections.sort(latencies);
        double seconds = Duration.between(first, last).toMillis() / 1000.0;
        return String.format(Locale.ROOT, "%.1f documents/s (%d in %.1f s), arrival->ready p50 %d ms, p95 %d ms, max %d ms",
                ready.size() / seconds, ready.size(), seconds, pct(latencies, 50), pct(latencies, 95), latencies.get(latencies.size() - 1));
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static List<byte[]> invoices(byte[] template, String prefix, int n) {
        String xml = new String(template, StandardCharsets.UTF_8);
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(xml.replace(InboundBenchSupport.NUMBER, prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return list;
    }

    private static void sftpUpload(int port, List<byte[]> files, String prefix, Map<String, Instant> arrivals) throws IOException {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // this JVM's own server
            client.start();
            try (ClientSession session = client.connect("vendor", "127.0.0.1", port).verify(10_000).getSession()) {
                session.addPasswordIdentity("bench-password");
                session.auth().verify(10_000);
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                    for (int i = 0; i < files.size(); i++) {
                        String name = prefix + "-" + i + ".xml";
                        try (OutputStream out = sftp.write("upload/" + name + ".part")) {
                            out.write(files.get(i));
                        }
                        sftp.rename("upload/" + name + ".part", "inbox/" + name); // a complete file appears at once
                        arrivals.put(prefix + "-" + i, Instant.now());
                    }
                }
            }
        }
    }

    private static double bareValidation(List<byte[]> files, int threads) throws Exception {
        OfficialRulesValidator validator = new OfficialRulesValidator();
        FormatDetector detector = new FormatDetector();
        for (int i = 0; i < Math.min(200, files.size()); i++) {
            validate(validator, detector, files.get(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                    if (!validate(validator, detector, files.get(i)).isValid()) {
                        throw new IllegalStateException("file " + i + " is not valid");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return files.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** What the intake does before conversion: detect, then validate with the format's official rule set. */
    private static ValidationReport validate(OfficialRulesValidator validator, FormatDetector detector, byte[] file)
            throws Exception {
        DetectedDocument d = detector.detect(file);
        return validator.validate(d.format().ruleSet(d.documentType()), d.content());
    }

    private static Process startHub(Path dir, Path data, int port, SftpTestServer sftp, String pollMillis)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String s = "--hub.inbound.channels.sftp[0].";
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + System.getenv().getOrDefault("HUB_XMX", "512m"),
                "-cp", System.getProperty("java.class.path"), "io.einvoicinghub.HubApplication",
                "--hub.data-dir=" + data, "--server.port=" + port, "--hub.node-id=inbound-bench",
                "--hub.validation.warm-up-enabled=false",
                "--hub.inbound.legal-entities[0].id=DE01", "--hub.inbound.legal-entities[0].endpoint-ids=0088:4000001987658",
                s + "id=bench", s + "host=127.0.0.1", s + "port=" + sftp.port(), s + "username=vendor",
                s + "password-secret=sftp-password", s + "known-hosts=" + sftp.knownHostsLine(), s + "directory=inbox",
                s + "delay=" + pollMillis + "ms", s + "max-files-per-poll=100",
                "--logging.level.root=WARN", "--logging.level.io.einvoicinghub=INFO"));
        System.out.println("[inbound-bench] starting the hub on 127.0.0.1:" + port + ", log " + dir.resolve("hub.log"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The hub over HTTP. */
    private static final class Bench {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;

        Bench(int port) {
            this.port = port;
        }

        void waitUntilUp(Process hub) throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                if (!hub.isAlive()) {
                    throw new IllegalStateException("the hub exited while starting (see hub.log)");
                }
                try {
                    if (get("/api/v1/inbound/documents?legalEntity=DE01&limit=1").statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(300);
            }
            throw new IllegalStateException("the hub did not start within 3 minutes");
        }

        void upload(List<byte[]> files, int clients, Map<String, Instant> arrivals) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                        String number = InboundBenchSupport.number(files.get(i));
                        Instant sent = Instant.now();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/inbound/uploads"))
                                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/xml")
                                .header("X-File-Name", number + ".xml")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(files.get(i))).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 202) {
                            throw new IllegalStateException("upload " + number + ": " + r.statusCode() + " " + r.body());
                        }
                        arrivals.put(number, sent);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }

        /** Waits until n documents numbered prefix-* are offered to the ERP; their convertedAt by number. */
        Map<String, Instant> awaitReady(String prefix, int n) throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (true) {
                Map<String, Instant> ready = new HashMap<>();
                String cursor = null;
                while (true) {
                    HttpResponse<String> r = get("/api/v1/inbound/documents?legalEntity=DE01&limit=500"
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
                    JsonNode page = JSON.readTree(r.body());
                    for (JsonNode item : page.path("items")) {
                        String number = item.path("invoiceNumber").asText();
                        if (number.startsWith(prefix + "-")) {
                            ready.put(number, Instant.parse(item.path("convertedAt").asText()));
                        }
                    }
                    if (page.path("items").isEmpty()) {
                        break;
                    }
                    cursor = page.path("nextCursor").asText();
                }
                if (ready.size() >= n) {
                    return ready;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(prefix + ": only " + ready.size() + " of " + n + " ready after 10 minutes");
                }
                Thread.sleep(500);
            }
        }

        private HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }
}
