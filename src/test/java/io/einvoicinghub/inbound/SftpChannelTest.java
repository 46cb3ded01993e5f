package io.einvoicinghub.inbound;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.storage.ArtifactStore;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SFTP channel on the whole hub against a real SFTP server (Apache MINA SSHD) in the test JVM: password and
 * public-key login, strict known_hosts checking, done folder or delete after the receipt is committed, the error
 * folder for a Failed receipt, and a man-in-the-middle host key refused.
 */
// its channel consumers poll servers the class stops: the context must close with the class, or they keep
// polling (and logging failures) into the tests that follow
@DirtiesContext
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=1", "hub.validation.warm-up-enabled=false"})
class SftpChannelTest {

    private static final KeyPair CLIENT_KEY = SftpTestServer.rsa();
    private static final String PASSWORD = "pw-" + System.nanoTime();
    private static SftpTestServer sftp;
    private static Path passwordInbox;
    private static Path keyHome;
    private static Path mitmHome;
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ArtifactStore store;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("hub-sftp-channel-");
        sftp = new SftpTestServer(dir.resolve("sftp")).start();
        passwordInbox = Files.createDirectories(sftp.passwordUser("vendor-a", PASSWORD).resolve("inbox"));
        keyHome = sftp.keyUser("vendor-b", CLIENT_KEY.getPublic());
        mitmHome = sftp.passwordUser("vendor-c", PASSWORD);
        Path data = dir.resolve("data");
        Properties secrets = new Properties();
        secrets.setProperty("sftp-a-password", PASSWORD);
        secrets.setProperty("sftp-b-key", SftpTestServer.pem(CLIENT_KEY));
        secrets.setProperty("sftp-b-known-hosts", sftp.knownHostsLine());
        Files.createDirectories(data.resolve("secrets"));
        try (OutputStream out = Files.newOutputStream(data.resolve("secrets").resolve("secrets.properties"))) {
            secrets.store(out, "test secrets");
        }
        registry.add("hub.data-dir", data::toString);
        registry.add("hub.inbound.legal-entities[0].id", () -> "DE01");
        registry.add("hub.inbound.legal-entities[0].endpoint-ids", () -> "0088:4000001987658");
        registry.add("hub.inbound.legal-entities[1].id", () -> "AT01");
        registry.add("hub.inbound.legal-entities[1].vat-ids", () -> "ATU12345678");
        source(registry, 0, "vendors-a", "vendor-a", Map.of("directory", "inbox", "password-secret", "sftp-a-password",
                "known-hosts", sftp.knownHostsLine()));
        source(registry, 1, "vendors-b", "vendor-b", Map.of("private-key-secret", "sftp-b-key",
                "known-hosts-secret", "sftp-b-known-hosts", "after", "delete"));
        source(registry, 2, "mitm", "vendor-c", Map.of("password-secret", "sftp-a-password",
                "known-hosts", sftp.wrongKnownHostsLine()));
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LOG.setContext(context);
        LOG.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(LOG);
    }

    private static void source(DynamicPropertyRegistry registry, int n, String id, String user, Map<String, String> more) {
        String prefix = "hub.inbound.channels.sftp[" + n + "].";
        registry.add(prefix + "id", () -> id);
        registry.add(prefix + "host", () -> "127.0.0.1");
        registry.add(prefix + "port", () -> sftp.port());
        registry.add(prefix + "username", () -> user);
        registry.add(prefix + "delay", () -> "200ms");
        more.forEach((k, v) -> registry.add(prefix + k, () -> v));
    }

    @AfterAll
    static void stop() throws IOException {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(LOG);
        sftp.close();
    }

    @Test
    void everyConfiguredSourceIsAStartedRoute() {
        for (String id : List.of("inbound-sftp-vendors-a", "inbound-sftp-vendors-b", "inbound-sftp-mitm")) {
            assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isEqualTo(ServiceStatus.Started);
        }
    }

    @Test
    void passwordLoginTakesTheFileOnceAndMovesItToDoneAfterItsReceipt() throws Exception {
        byte[] invoice = rendered("13-prepaid-amount.json", PinnedFeature.PEPPOL_BIS_UBL);
        Path part = drop(passwordInbox, "INV-0113.xml.part", invoice, false); // still uploading: left alone
        drop(passwordInbox, "INV-0113.xml", invoice, true);

        Map<String, Object> receipt = awaitReceipt("sftp:vendors-a:INV-0113.xml");
        assertThat(receipt.get("STATUS")).isEqualTo("Converted");
        assertThat(receipt.get("LEGAL_ENTITY")).isEqualTo("DE01");
        assertThat(receipt.get("FILE_NAME")).isEqualTo("INV-0113.xml");
        assertThat(store.get(receipt.get("STORAGE_PREFIX") + "01-original")).hasValueSatisfying(b -> assertThat(b).isEqualTo(invoice));
        await("moved to done", () -> Files.exists(passwordInbox.resolve("done/INV-0113.xml"))
                && !Files.exists(passwordInbox.resolve("INV-0113.xml")));
        assertThat(Files.readAllBytes(passwordInbox.resolve("done/INV-0113.xml"))).isEqualTo(invoice);

        // the same file in the same place again (e.g. the vendor uploads twice): taken as the first receipt
        drop(passwordInbox, "INV-0113.xml", invoice, true);
        await("moved to done again", () -> !Files.exists(passwordInbox.resolve("INV-0113.xml")));
        assertThat(receipts("sftp:vendors-a:INV-0113.xml")).hasSize(1);
        assertThat(part).exists();
    }

    @Test
    void aFailedReceiptMovesTheFileToTheErrorFolderWithTheReasonLogged() throws Exception {
        byte[] notes = "minutes of the meeting, not an invoice".getBytes(StandardCharsets.UTF_8);
        drop(passwordInbox, "notes.txt", notes, true);

        Map<String, Object> receipt = awaitReceipt("sftp:vendors-a:notes.txt");
        assertThat(receipt.get("STATUS")).isEqualTo("Failed");
        await("moved to error", () -> Files.exists(passwordInbox.resolve("error/notes.txt")));
        assertThat(passwordInbox.resolve("notes.txt")).doesNotExist();
        assertThat(store.get(receipt.get("STORAGE_PREFIX") + "01-original")).hasValueSatisfying(b -> assertThat(b).isEqualTo(notes));
        await("reason logged", () -> logged(e -> e.getFormattedMessage().contains("notes.txt moved to the error folder")
                && e.getFormattedMessage().contains((String) receipt.get("ID"))));
    }

    @Test
    void keyLoginTakesTheFileAndDeletesItAfterItsReceipt() throws Exception {
        byte[] invoice = rendered("05-reverse-charge.json", PinnedFeature.XRECHNUNG_CII);
        drop(keyHome, "at-0105.xml", invoice, true);

        Map<String, Object> receipt = awaitReceipt("sftp:vendors-b:at-0105.xml");
        assertThat(receipt.get("STATUS")).isEqualTo("Converted");
        assertThat(receipt.get("LEGAL_ENTITY")).isEqualTo("AT01");
        await("deleted", () -> !Files.exists(keyHome.resolve("at-0105.xml")));
        assertThat(keyHome.resolve("done")).doesNotExist();
    }

    @Test
    void aServerWhoseHostKeyIsNotInKnownHostsIsRefusedAndItsFilesAreLeftAlone() throws Exception {
        byte[] invoice = rendered("13-prepaid-amount.json", PinnedFeature.PEPPOL_BIS_UBL);
        drop(mitmHome, "INV-0113.xml", invoice, true);

        await("connection refused by the client", () -> logged(e -> e.getFormattedMessage().contains("Cannot connect/login to: sftp://vendor-c@127.0.0.1")));
        // refused before login: the server never saw vendor-c's password (vendor-a, same password, logs in)
        assertThat(sftp.passwordAttempts("vendor-c")).isZero();
        assertThat(sftp.passwordAttempts("vendor-a")).isPositive();
        assertThat(mitmHome.resolve("INV-0113.xml")).exists();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_receipt WHERE source_reference LIKE 'sftp:mitm:%'",
                Integer.class)).isZero();
    }

    /** Written beside the folder and moved in at once, as an SFTP upload under a temporary name and a rename would. */
    private static Path drop(Path folder, String name, byte[] content, boolean atomic) throws IOException {
        Path target = folder.resolve(name);
        if (!atomic) {
            return Files.write(target, content);
        }
        Path temp = Files.write(folder.getParent().resolve(name + "." + System.nanoTime() + ".tmp"), content);
        return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private List<Map<String, Object>> receipts(String sourceReference) {
        return jdbc.queryForList("SELECT * FROM inbound_receipt WHERE source_reference = ?", sourceReference);
    }

    private Map<String, Object> awaitReceipt(String sourceReference) throws InterruptedException {
        await("receipt for " + sourceReference, () -> receipts(sourceReference).stream()
                .anyMatch(r -> !"Received".equals(r.get("STATUS"))));
        return receipts(sourceReference).get(0);
    }

    private static boolean logged(java.util.function.Predicate<ILoggingEvent> match) {
        synchronized (LOG) {
            return List.copyOf(LOG.list).stream().anyMatch(match);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // generous: CI machines are shared
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
