package io.einvoicinghub.ksef;

import io.einvoicinghub.ksef.simulator.KsefSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Purchase invoices out of KSeF (open-api.json: {@code POST /invoices/query/metadata}, {@code GET
 * /invoices/ksef/{ksefNumber}}): the seller sends through an online session, the buyer's context lists the invoice as
 * Subject2 once KSeF has stored it and downloads the same bytes; nobody else can.
 */
class KsefInvoiceDownloadTest {

    static final String SELLER = KsefClientSimulatorTest.NIP;
    static final String BUYER = "3434235649"; // Podmiot2 of fa3-minimal.xml
    static final String BUYER_TOKEN = "20261201-EC-TESTTOKEN1-0000000000-BB|nip-3434235649|fedcba9876543210";
    static final String OTHER = "7010002137";
    static final String OTHER_TOKEN = "20261201-EC-TESTTOKEN2-0000000000-CC|nip-7010002137|0011223344556677";
    static KsefSimulator simulator;
    static KsefClient client;

    @BeforeAll
    static void start() {
        simulator = new KsefSimulator().registerKsefToken(KsefClientSimulatorTest.TOKEN, SELLER)
                .registerKsefToken(BUYER_TOKEN, BUYER).registerKsefToken(OTHER_TOKEN, OTHER)
                .authenticationDelay(Duration.ofMillis(100)).processingDelay(Duration.ofMillis(600)).start(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        client = new KsefClient(new KsefEnvironment("simulator", simulator.baseUri()), http, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static AuthTokens login(String nip, String token) {
        return client.authenticate(ContextIdentifier.nip(nip), token.toCharArray(), Duration.ofMillis(50), Duration.ofSeconds(10));
    }

    @Test
    void theBuyerListsAndDownloadsItsPurchaseInvoiceOnceKsefHasStoredIt() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        AuthTokens seller = login(SELLER, KsefClientSimulatorTest.TOKEN);
        AuthTokens buyer = login(BUYER, BUYER_TOKEN);
        AuthTokens other = login(OTHER, OTHER_TOKEN);
        OnlineSession session = client.openOnlineSession(seller.accessToken(),
                client.publicKeyFor(PublicKeyCertificate.SYMMETRIC_KEY_ENCRYPTION));
        byte[] xml = KsefClientSimulatorTest.invoice();
        SentInvoice sent = client.sendInvoice(seller.accessToken(), session, xml);

        InvoiceMetadata.Page early = client.queryInvoiceMetadata(buyer.accessToken(), "Subject2", "PermanentStorage", start, null, 0, 10);
        assertThat(early.invoices()).as("asynchronous: not in the repository while KSeF processes it").isEmpty();

        InvoiceStatus done = awaitVerdict(seller, session, sent.referenceNumber());
        assertThat(done.status().code()).isEqualTo(200);
        InvoiceMetadata.Page page = client.queryInvoiceMetadata(buyer.accessToken(), "Subject2", "PermanentStorage", start, null, 0, 10);

        assertThat(page.invoices()).singleElement().satisfies(i -> {
            assertThat(i.ksefNumber()).isEqualTo(done.ksefNumber());
            assertThat(i.sellerNip()).isEqualTo(SELLER);
            assertThat(i.buyerNip()).isEqualTo(BUYER);
            assertThat(i.invoiceHash()).isEqualTo(sent.invoiceHash());
            assertThat(i.issueDate()).isEqualTo("2026-11-20");
        });
        assertThat(page.hasMore()).isFalse();
        assertThat(page.permanentStorageHwmDate()).isNotNull();
        assertThat(client.downloadInvoice(buyer.accessToken(), done.ksefNumber())).isEqualTo(xml);
        assertThat(client.downloadInvoice(seller.accessToken(), done.ksefNumber())).isEqualTo(xml);

        // the seller's purchase invoices do not hold it; its sales invoices do
        assertThat(client.queryInvoiceMetadata(seller.accessToken(), "Subject2", "PermanentStorage", start, null, 0, 10).invoices()).isEmpty();
        assertThat(client.queryInvoiceMetadata(seller.accessToken(), "Subject1", "Issue", start.minus(Duration.ofDays(30)), null, 0, 10)
                .invoices()).extracting(InvoiceMetadata::ksefNumber).contains(done.ksefNumber());
        // a third context cannot download it, and an unknown number is KSeF's 21164
        assertThatThrownBy(() -> client.downloadInvoice(other.accessToken(), done.ksefNumber()))
                .isInstanceOfSatisfying(KsefPermanentException.class, e -> assertThat(e.errors()).extracting(KsefError::code).containsExactly(21164));
        assertThatThrownBy(() -> client.queryInvoiceMetadata(buyer.accessToken(), "Subject2", "PermanentStorage", start, null, 0, 5))
                .isInstanceOfSatisfying(KsefPermanentException.class, e -> assertThat(e.errors()).extracting(KsefError::code).containsExactly(21405));
    }

    private static InvoiceStatus awaitVerdict(AuthTokens tokens, OnlineSession session, String reference) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        InvoiceStatus status = client.invoiceStatus(tokens.accessToken(), session.referenceNumber(), reference);
        while (status.processing() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = client.invoiceStatus(tokens.accessToken(), session.referenceNumber(), reference);
        }
        return status;
    }
}
