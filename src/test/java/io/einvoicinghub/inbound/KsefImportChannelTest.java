package io.einvoicinghub.inbound;

import io.einvoicinghub.ksef.AuthTokens;
import io.einvoicinghub.ksef.ContextIdentifier;
import io.einvoicinghub.ksef.InvoiceStatus;
import io.einvoicinghub.ksef.KsefClient;
import io.einvoicinghub.ksef.KsefEnvironment;
import io.einvoicinghub.ksef.OnlineSession;
import io.einvoicinghub.ksef.PublicKeyCertificate;
import io.einvoicinghub.ksef.SentInvoice;
import io.einvoicinghub.ksef.hub.KsefConnections;
import io.einvoicinghub.ksef.simulator.KsefSimulator;
import io.einvoicinghub.secrets.SecretStore;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KSeF import channel against the KSeF simulator over HTTP: a seller sends FA(3) invoices to KSeF, the hub's
 * legal entity (the buyer) takes each one once as a receipt (FA(3) checked against the Ministry's XSD, offered as the
 * original), a second poll takes nothing again, a new invoice is taken by the next poll.
 */
class KsefImportChannelTest {

    static final String SELLER = "5265877635";
    static final String SELLER_TOKEN = "20261201-EC-TESTTOKEN0-0000000000-AA|nip-5265877635|0123456789abcdef";
    static final String BUYER = "3434235649";
    static final String BUYER_TOKEN = "20261201-EC-TESTTOKEN1-0000000000-BB|nip-3434235649|fedcba9876543210";

    @TempDir
    Path storage;

    KsefSimulator simulator;
    KsefClient seller;
    InboundTestBed bed;
    KsefPurchaseInvoiceImport channel;
    KsefImportProperties.Entity pl01;

    @BeforeEach
    void start() {
        simulator = new KsefSimulator().registerKsefToken(SELLER_TOKEN, SELLER).registerKsefToken(BUYER_TOKEN, BUYER)
                .authenticationDelay(Duration.ofMillis(100)).processingDelay(Duration.ofMillis(300)).start(0);
        seller = new KsefClient(new KsefEnvironment("simulator", simulator.baseUri()),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofSeconds(5));
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:ksef-import-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).load().migrate();
        bed = new InboundTestBed(ds, storage);
        Map<String, String> secrets = Map.of("ksef-token-pl01", BUYER_TOKEN);
        SecretStore store = new SecretStore() {
            @Override
            public Optional<Secret> find(String name) {
                return Optional.ofNullable(secrets.get(name)).map(v -> new Secret(name, "1", v));
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        pl01 = new KsefImportProperties.Entity("PL01", BUYER, simulator.baseUri().toString(), "ksef-token-pl01",
                LocalDate.now().minusDays(1));
        InboundIntake intake = bed.intake(new InboundProperties.LegalEntityMapping("PL01", List.of(), List.of("PL" + BUYER), List.of()));
        channel = new KsefPurchaseInvoiceImport(new KsefImportProperties(true, null, List.of(pl01)), new KsefConnections(store),
                intake, bed.jdbc);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void purchaseInvoicesAreTakenOnceEachFromTheStartDate() throws Exception {
        String first = sendAndAwait("FV/IMPORT/1");
        String second = sendAndAwait("FV/IMPORT/2");

        assertThat(channel.pollAll()).isEqualTo(2);
        assertThat(channel.pollAll()).isZero();
        String third = sendAndAwait("FV/IMPORT/3");
        assertThat(channel.pollAll()).isEqualTo(1);

        List<InboundReceipt> receipts = bed.jdbc.queryForList("SELECT id FROM inbound_receipt ORDER BY source_reference", String.class)
                .stream().map(id -> bed.receipts.find(id).orElseThrow()).toList();
        assertThat(receipts).extracting(InboundReceipt::sourceReference).containsExactlyInAnyOrder(
                pl01.environment() + "/" + first, pl01.environment() + "/" + second, pl01.environment() + "/" + third);
        assertThat(receipts).allSatisfy(r -> {
            assertThat(r.channel()).isEqualTo("ksef");
            assertThat(r.detectedFormat()).isEqualTo("KSEF_FA3");
            assertThat(r.status()).as(r.reason()).isEqualTo(ReceiptStatus.VALID);
            assertThat(r.legalEntity()).isEqualTo("PL01");
            assertThat(r.sellerId()).isEqualTo("VAT:PL" + SELLER);
        });
        assertThat(receipts).extracting(InboundReceipt::invoiceNumber).containsExactlyInAnyOrder("FV/IMPORT/1", "FV/IMPORT/2", "FV/IMPORT/3");
        assertThat(bed.receipts.ready("PL01", null, null, 10)).hasSize(3);
        assertThat(channel.cursor(pl01)).isAfter(LocalDate.now().minusDays(1).atStartOfDay(java.time.ZoneId.of("Europe/Warsaw")).toInstant());
    }

    /** The seller's side: one FA(3) invoice through an online session, until KSeF gives its number. */
    String sendAndAwait(String number) throws Exception {
        String xml = Files.readString(Path.of("src/test/resources/ksef/fa3-minimal.xml"), StandardCharsets.UTF_8)
                .replace("FV/2026/11/0001", number);
        AuthTokens tokens = seller.authenticate(ContextIdentifier.nip(SELLER), SELLER_TOKEN.toCharArray(), Duration.ofMillis(50),
                Duration.ofSeconds(10));
        OnlineSession session = seller.openOnlineSession(tokens.accessToken(), seller.publicKeyFor(PublicKeyCertificate.SYMMETRIC_KEY_ENCRYPTION));
        SentInvoice sent = seller.sendInvoice(tokens.accessToken(), session, xml.getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        InvoiceStatus status = seller.invoiceStatus(tokens.accessToken(), session.referenceNumber(), sent.referenceNumber());
        while (status.processing() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = seller.invoiceStatus(tokens.accessToken(), session.referenceNumber(), sent.referenceNumber());
        }
        assertThat(status.status().code()).isEqualTo(200);
        return status.ksefNumber();
    }
}
