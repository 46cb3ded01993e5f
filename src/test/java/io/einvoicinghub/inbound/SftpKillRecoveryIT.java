package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.testsupport.StartupWindow;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's load/kill test: 1,000 invoice files uploaded over SFTP (MINA SSHD in this JVM) while the hub runs in its
 * own JVM; the hub is SIGKILLed once in the middle and started again. Afterwards each file has exactly one receipt,
 * every invoice is offered to the ERP once, the done folder holds all 1,000 files and nothing is left or in error.
 */
class SftpKillRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILES = 1000;
    private static final String PASSWORD = "kill-" + System.nanoTime();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SftpTestServer sftp;
    private int port;

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
        if (sftp != null) {
            sftp.close();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void eachOfAThousandFilesIsReceivedExactlyOnceAcrossASigkill() throws Exception {
        long started = System.nanoTime();
        sftp = new SftpTestServer(dir.resolve("sftp")).start();
        Path home = sftp.passwordUser("vendor", PASSWORD);
        Path inbox = Files.createDirectories(home.resolve("inbox"));
        Files.createDirectories(home.resolve("upload"));
        Path data = dir.resolve("data");
        Properties secrets = new Properties();
        secrets.setProperty("sftp-password", PASSWORD);
        Files.createDirectories(data.resolve("secrets"));
        try (OutputStream out = Files.newOutputStream(data.resolve("secrets/secrets.properties"))) {
            secrets.store(out, null);
        }
        port = freePort();

        byte[] template = InboundTestBed.rendered("13-prepaid-amount.json", PinnedFeature.PEPPOL_BIS_UBL);
        String xml = new String(template, StandardCharsets.UTF_8);
        assertThat(xml).contains("INV-2026-0113");
        String tag = Long.toString(System.currentTimeMillis(), 36);
        Set<String> numbers = new HashSet<>();

        Process first = startHub("run1");
        waitUntilUp();
        AtomicInteger uploaded = new AtomicInteger();
        AtomicReference<Throwable> uploadFailure = new AtomicReference<>();
        Thread uploader = new Thread(() -> {
            try (SshClient client = SshClient.setUpDefaultClient()) {
                client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // the test's own server
                client.start();
                try (ClientSession session = client.connect("vendor", "127.0.0.1", sftp.port()).verify(10_000).getSession()) {
                    session.addPasswordIdentity(PASSWORD);
                    session.auth().verify(10_000);
                    try (SftpClient files = SftpClientFactory.instance().createSftpClient(session)) {
                        for (int i = 0; i < FILES; i++) {
                            String number = "KILL-" + tag + "-" + i;
                            byte[] content = xml.replace("INV-2026-0113", number).getBytes(StandardCharsets.UTF_8);
                            // uploaded beside the polled folder and renamed into it: MINA SSHD fails a whole
                            // directory listing when an entry vanishes during it (a *.part renamed in the folder)
                            try (OutputStream out = files.write("upload/" + number + ".xml.part")) {
                                out.write(content);
                            }
                            files.rename("upload/" + number + ".xml.part", "inbox/" + number + ".xml");
                            uploaded.incrementAndGet();
                        }
                    }
                }
            } catch (Throwable t) {
                uploadFailure.set(t);
            }
        }, "sftp-uploader");
        for (int i = 0; i < FILES; i++) {
            numbers.add("KILL-" + tag + "-" + i);
        }
        uploader.start();

        // kill once about a third is taken: the rest is waiting, being downloaded, stored or validated
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (count(inbox.resolve("done")) < FILES / 3 && System.nanoTime() < deadline && first.isAlive()) {
            Thread.sleep(20);
        }
        int doneAtKill = count(inbox.resolve("done"));
        int uploadedAtKill = uploaded.get();
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no orderly close of the SFTP session or the database
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(doneAtKill).as("files taken at the kill").isBetween(1, FILES - 1);

        long restartAt = System.nanoTime();
        startHub("run2");
        waitUntilUp();
        uploader.join(Duration.ofMinutes(2).toMillis());
        assertThat(uploadFailure.get()).as("upload").isNull();
        assertThat(uploaded.get()).isEqualTo(FILES);
        Set<String> offered = new HashSet<>();
        deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (offered.size() < FILES && System.nanoTime() < deadline) {
            offered = offeredInvoiceNumbers();
            Thread.sleep(500);
        }
        double drained = (System.nanoTime() - restartAt) / 1e9;
        processes.get(1).destroy(); // orderly stop, so the test can open the database
        assertThat(processes.get(1).waitFor(60, TimeUnit.SECONDS)).isTrue();

        Map<String, Integer> perSource = new HashMap<>();
        Map<String, Integer> statuses = new HashMap<>();
        int resumed;
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/hub"), "sa", "");
             Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT source_reference, status FROM inbound_receipt WHERE channel = 'sftp'")) {
                while (rs.next()) {
                    perSource.merge(rs.getString(1), 1, Integer::sum);
                    statuses.merge(rs.getString(2), 1, Integer::sum);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT r.id, r.source_reference, r.status, r.reason FROM inbound_receipt r "
                    + "WHERE r.status <> 'Converted'")) {
                while (rs.next()) {
                    System.out.printf("[sftp-kill] not Converted: %s %s %s: %s%n", rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM inbound_receipt_log WHERE step = 'resume'")) {
                rs.next();
                resumed = rs.getInt(1);
            }
        }
        System.out.printf("[sftp-kill] %d files; at the kill %d uploaded, %d taken; after the restart all offered in %.1f s; "
                        + "%d receipts (%s), %d resumed from their originals; test %.1f s%n", FILES, uploadedAtKill, doneAtKill,
                drained, perSource.values().stream().mapToInt(Integer::intValue).sum(), statuses, resumed,
                (System.nanoTime() - started) / 1e9);

        assertThat(offered).as("invoices offered to the ERP").isEqualTo(numbers);
        assertThat(perSource).as("one receipt per file").hasSize(FILES).allSatisfy((source, n) -> assertThat(n).as(source).isEqualTo(1));
        assertThat(statuses).isEqualTo(Map.of("Converted", FILES));
        assertThat(count(inbox.resolve("done"))).as("files in done").isEqualTo(FILES);
        assertThat(inbox.resolve("error")).doesNotExist();
        try (Stream<Path> left = Files.list(inbox)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("files left in the inbox").isEmpty();
        }
    }

    /** Every invoice number the ERP of DE01 is offered, page by page. */
    private Set<String> offeredInvoiceNumbers() throws IOException, InterruptedException {
        Set<String> numbers = new HashSet<>();
        String cursor = null;
        while (true) {
            String path = "/api/v1/inbound/documents?legalEntity=DE01&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(r.body());
            page.path("items").forEach(item -> numbers.add(item.path("invoiceNumber").asText()));
            if (page.path("items").isEmpty() || page.path("nextCursor").isNull()) {
                return numbers;
            }
            cursor = page.path("nextCursor").asText();
        }
    }

    private Process startHub(String name) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String s = "--hub.inbound.channels.sftp[0].";
        List<String> command = List.of(java.toString(), "-Xmx512m", "-cp", classpath, "io.einvoicinghub.HubApplication",
                "--hub.data-dir=" + dir.resolve("data"),
                "--server.port=" + port,
                "--hub.node-id=sftp-kill-node",
                "--hub.validation.warm-up-enabled=false",
                "--hub.inbound.legal-entities[0].id=DE01",
                "--hub.inbound.legal-entities[0].endpoint-ids=0088:4000001987658",
                "--hub.inbound.channels.resume-after=15s",
                "--hub.inbound.channels.resume-every=1s",
                s + "id=kill-test", s + "host=127.0.0.1", s + "port=" + sftp.port(), s + "username=vendor",
                s + "password-secret=sftp-password", s + "known-hosts=" + sftp.knownHostsLine(), s + "directory=inbox",
                s + "delay=100ms", s + "max-files-per-poll=50",
                "--logging.level.root=WARN",
                "--logging.level.io.einvoicinghub=INFO");
        Process p = new ProcessBuilder(command).directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private void waitUntilUp() throws Exception {
        Process p = processes.get(processes.size() - 1);
        try {
            new StartupWindow(uri("/api/v1/inbound/documents?legalEntity=DE01&limit=1")).starting(p, System.nanoTime(),
                    Duration.ofMinutes(5), Duration.ofMillis(300));
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

    private static int count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(f -> f.toString().endsWith(".xml")).count();
        }
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
