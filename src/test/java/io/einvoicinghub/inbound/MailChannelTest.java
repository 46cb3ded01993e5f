package io.einvoicinghub.inbound;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.storage.ArtifactStore;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static io.einvoicinghub.inbound.SftpChannelTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The e-mail channel on the whole hub against a real IMAP/SMTP server (GreenMail): mails sent over SMTP, read over
 * IMAP with the sender, subject and date filters, each attachment an invoice or one main document with the rest as
 * its attachments, processed mails in the archive folder, failures in the error folder.
 */
// its channel consumers poll servers the class stops: the context must close with the class, or they keep
// polling (and logging failures) into the tests that follow
@DirtiesContext
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=1", "hub.validation.warm-up-enabled=false"})
class MailChannelTest {

    private static final String PASSWORD = "mail-" + UUID.randomUUID();
    private static GreenMail mail;

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ArtifactStore store;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        mail = new GreenMail(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()});
        mail.start();
        mail.setUser("each@hub.test", "each", PASSWORD);
        mail.setUser("main@hub.test", "main", PASSWORD);
        Path data = Files.createTempDirectory("hub-mail-channel-").resolve("data");
        Properties secrets = new Properties();
        secrets.setProperty("imap-password", PASSWORD);
        Files.createDirectories(data.resolve("secrets"));
        try (OutputStream out = Files.newOutputStream(data.resolve("secrets/secrets.properties"))) {
            secrets.store(out, null);
        }
        registry.add("hub.data-dir", data::toString);
        registry.add("hub.inbound.legal-entities[0].id", () -> "DE01");
        registry.add("hub.inbound.legal-entities[0].endpoint-ids", () -> "0088:4000001987658");
        registry.add("hub.inbound.legal-entities[1].id", () -> "AT01");
        registry.add("hub.inbound.legal-entities[1].vat-ids", () -> "ATU12345678");
        source(registry, 0, "each", Map.of("from", "@vendor-a.test", "subject", "Invoice"));
        source(registry, 1, "main", Map.of("mode", "main-document", "attachment-pattern", ".*\\.xml", "sent-since", "7d"));
    }

    private static void source(DynamicPropertyRegistry registry, int n, String user, Map<String, String> more) {
        String prefix = "hub.inbound.channels.mail[" + n + "].";
        registry.add(prefix + "id", () -> user);
        registry.add(prefix + "protocol", () -> "imap");
        registry.add(prefix + "host", () -> "127.0.0.1");
        registry.add(prefix + "port", () -> mail.getImap().getPort());
        registry.add(prefix + "username", () -> user);
        registry.add(prefix + "password-secret", () -> "imap-password");
        registry.add(prefix + "delay", () -> "300ms");
        more.forEach((k, v) -> registry.add(prefix + k, () -> v));
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    @Test
    void eachConfiguredMailboxIsAStartedRoute() {
        assertThat(camel.getRouteController().getRouteStatus("inbound-mail-each")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRouteController().getRouteStatus("inbound-mail-main")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void eachMatchingAttachmentIsAnInvoiceAndTheMailIsArchivedAfterItsReceipts() throws Exception {
        byte[] de = unique(rendered("13-prepaid-amount.json", PinnedFeature.PEPPOL_BIS_UBL));
        byte[] at = rendered("05-reverse-charge.json", PinnedFeature.XRECHNUNG_CII);
        // filtered out (sender, subject): left in the inbox untouched
        String otherSender = send("each@hub.test", "billing@elsewhere.test", "Invoice 77", Instant.now(), Map.of("x.xml", de));
        String otherSubject = send("each@hub.test", "billing@vendor-a.test", "Newsletter", Instant.now(), Map.of("x.xml", de));
        String id = send("each@hub.test", "billing@vendor-a.test", "Invoice 0113 and 0105", Instant.now(),
                attachments("INV-0113.xml", de, "at-0105.xml", at, "terms.txt", "pay in 30 days".getBytes(StandardCharsets.UTF_8)));

        await("archived", () -> messageIds("each", "Archive").contains(id));
        List<Map<String, Object>> receipts = jdbc.queryForList("SELECT * FROM inbound_receipt WHERE source_reference LIKE ? "
                + "ORDER BY file_name", "mail:each:" + id + ":%");
        assertThat(receipts).extracting(r -> r.get("FILE_NAME")).containsExactly("INV-0113.xml", "at-0105.xml");
        assertThat(receipts).extracting(r -> r.get("STATUS")).containsOnly("Converted");
        assertThat(receipts).extracting(r -> r.get("LEGAL_ENTITY")).containsExactly("DE01", "AT01");
        assertThat(store.get(receipts.get(0).get("STORAGE_PREFIX") + "01-original")).hasValueSatisfying(b -> assertThat(b).isEqualTo(de));
        assertThat(messageIds("each", "INBOX")).contains(otherSender, otherSubject);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_receipt WHERE source_reference LIKE ? OR source_reference LIKE ?",
                Integer.class, "%" + otherSender + "%", "%" + otherSubject + "%")).isZero();
    }

    @Test
    void aMailWithoutAnInvoiceOrWithAFailedReceiptGoesToTheErrorFolder() throws Exception {
        String noInvoice = send("each@hub.test", "billing@vendor-a.test", "Invoice follows", Instant.now(),
                Map.of("readme.txt", "the invoice comes tomorrow".getBytes(StandardCharsets.UTF_8)));
        String broken = send("each@hub.test", "billing@vendor-a.test", "Invoice 9", Instant.now(),
                Map.of("INV-9.xml", "<Invoice><truncated".getBytes(StandardCharsets.UTF_8)));

        await("both in Error", () -> messageIds("each", "Error").containsAll(List.of(noInvoice, broken)));
        Map<String, Object> failed = jdbc.queryForMap("SELECT * FROM inbound_receipt WHERE source_reference = ?",
                "mail:each:" + broken + ":INV-9.xml");
        assertThat(failed.get("STATUS")).isEqualTo("Failed");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_receipt WHERE source_reference LIKE ?", Integer.class,
                "%" + noInvoice + "%")).isZero();
    }

    @Test
    void oneMainDocumentKeepsTheOtherAttachmentsAndOldMailIsLeftAlone() throws Exception {
        byte[] invoice = unique(rendered("13-prepaid-amount.json", PinnedFeature.PEPPOL_BIS_UBL));
        byte[] note = "%PDF-1.4 delivery note".getBytes(StandardCharsets.US_ASCII);
        byte[] sheet = "hours,42".getBytes(StandardCharsets.UTF_8);
        String old = send("main@hub.test", "billing@vendor-b.test", "Invoice March", Instant.now().minus(Duration.ofDays(30)),
                Map.of("old.xml", invoice));
        String id = send("main@hub.test", "billing@vendor-b.test", "Invoice April", Instant.now(),
                attachments("delivery-note.pdf", note, "INV-0113.xml", invoice, "timesheet.csv", sheet));

        await("archived", () -> messageIds("main", "Archive").contains(id));
        Map<String, Object> receipt = jdbc.queryForMap("SELECT * FROM inbound_receipt WHERE source_reference LIKE ?",
                "mail:main:" + id + ":%");
        assertThat(receipt.get("FILE_NAME")).isEqualTo("INV-0113.xml");
        List<Map<String, Object>> kept = jdbc.queryForList("SELECT * FROM inbound_receipt_attachment WHERE receipt_id = ? "
                + "ORDER BY seq", receipt.get("ID"));
        assertThat(kept).extracting(a -> a.get("FILE_NAME")).containsExactly("delivery-note.pdf", "timesheet.csv");
        assertThat(store.get((String) kept.get(0).get("STORAGE_KEY"))).hasValueSatisfying(b -> assertThat(b).isEqualTo(note));
        assertThat(store.get((String) kept.get(1).get("STORAGE_KEY"))).hasValueSatisfying(b -> assertThat(b).isEqualTo(sheet));
        assertThat(messageIds("main", "INBOX")).containsExactly(old);
    }

    /** The sample with an invoice number of its own: the tests share one database, and a second copy is a Duplicate. */
    private static byte[] unique(byte[] invoice) {
        return new String(invoice, StandardCharsets.UTF_8).replace(InboundBenchSupport.NUMBER,
                InboundBenchSupport.NUMBER + "-" + UUID.randomUUID().toString().substring(0, 8)).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> attachments(Object... nameThenContent) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            map.put((String) nameThenContent[i], (byte[]) nameThenContent[i + 1]);
        }
        return map;
    }

    /** Sends a mail over SMTP; returns its Message-ID. */
    private static String send(String to, String from, String subject, Instant sent, Map<String, byte[]> files) throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", "127.0.0.1");
        props.setProperty("mail.smtp.port", Integer.toString(mail.getSmtp().getPort()));
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setSentDate(Date.from(sent));
        MimeMultipart body = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Please find attached.");
        body.addBodyPart(text);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(f.getValue(), "application/octet-stream")));
            part.setFileName(f.getKey());
            part.setHeader("Content-Transfer-Encoding", "base64"); // as mail clients send files: bytes kept, line ends too
            body.addBodyPart(part);
        }
        message.setContent(body);
        Transport.send(message); // sets a new Message-ID (saveChanges): read it after the send
        return message.getMessageID();
    }

    /** Message-IDs in a folder of a mailbox (mails flagged deleted aside), read from the server's store. */
    private static List<String> messageIds(String user, String folderName) {
        MailFolder folder = mail.getManagers().getImapHostManager().getFolder(mail.getUserManager().getUser(user), folderName);
        if (folder == null) {
            return List.of();
        }
        List<String> ids = new java.util.ArrayList<>();
        try {
            for (StoredMessage m : folder.getMessages()) {
                if (!m.isSet(jakarta.mail.Flags.Flag.DELETED)) {
                    ids.add(m.getMimeMessage().getMessageID());
                }
            }
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }
}
