package io.einvoicinghub.ksef;

import io.einvoicinghub.ksef.simulator.KsefSimulator;
import io.einvoicinghub.ksef.simulator.SimulatorFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The KSeF client against the KSeF simulator over real HTTP on loopback. */
class KsefClientSimulatorTest {

    static final String NIP = "5265877635";
    static final String TOKEN = "20261201-EC-TESTTOKEN0-0000000000-AA|nip-5265877635|0123456789abcdef";
    static KsefSimulator simulator;
    static KsefClient client;

    @BeforeAll
    static void start() {
        simulator = new KsefSimulator().registerKsefToken(TOKEN, NIP)
                .authenticationDelay(Duration.ofMillis(150)).processingDelay(Duration.ofMillis(300)).start(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        client = new KsefClient(new KsefEnvironment("simulator", simulator.baseUri()), http, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clearFaults() {
        simulator.resetFaults();
    }

    /** The hand-written FA(3) invoice with a fresh invoice number (P_2), so each test's invoice is new to KSeF. */
    static byte[] invoice() throws Exception {
        String xml = Files.readString(Path.of("src/test/resources/ksef/fa3-minimal.xml"), StandardCharsets.UTF_8);
        return xml.replace("FV/2026/11/0001", "FV/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    static AuthTokens login() {
        return client.authenticate(ContextIdentifier.nip(NIP), TOKEN.toCharArray(), Duration.ofMillis(50), Duration.ofSeconds(10));
    }

    static OnlineSession open(AuthTokens tokens) {
        return client.openOnlineSession(tokens.accessToken(), client.publicKeyFor(PublicKeyCertificate.SYMMETRIC_KEY_ENCRYPTION));
    }

    static InvoiceStatus awaitVerdict(AuthTokens tokens, OnlineSession session, String invoiceReference) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        InvoiceStatus status = client.invoiceStatus(tokens.accessToken(), session.referenceNumber(), invoiceReference);
        while (status.processing() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = client.invoiceStatus(tokens.accessToken(), session.referenceNumber(), invoiceReference);
        }
        return status;
    }

    @Test
    void happyPathGivesKsefNumberAndUpo() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        byte[] xml = invoice();
        SentInvoice sent = client.sendInvoice(tokens.accessToken(), session, xml);
        assertThat(sent.invoiceHash()).isEqualTo(KsefCrypto.sha256Base64(xml));

        InvoiceStatus first = client.invoiceStatus(tokens.accessToken(), session.referenceNumber(), sent.referenceNumber());
        assertThat(first.status().code()).as("asynchronous: still processing right after sending").isEqualTo(150);
        InvoiceStatus done = awaitVerdict(tokens, session, sent.referenceNumber());
        assertThat(done.status().code()).isEqualTo(200);
        assertThat(done.ksefNumber()).startsWith(NIP + "-").hasSize(35);
        assertThat(KsefNumber.isValid(done.ksefNumber())).isTrue();

        String upo = new String(client.invoiceUpo(tokens.accessToken(), session.referenceNumber(), sent.referenceNumber()), StandardCharsets.UTF_8);
        assertThat(upo).contains("<NumerKSeFDokumentu>" + done.ksefNumber() + "</NumerKSeFDokumentu>")
                .contains("<SkrotDokumentu>" + sent.invoiceHash() + "</SkrotDokumentu>")
                .contains("<NumerReferencyjnySesji>" + session.referenceNumber() + "</NumerReferencyjnySesji>");

        client.closeSession(tokens.accessToken(), session.referenceNumber());
        SessionStatus closed = client.sessionStatus(tokens.accessToken(), session.referenceNumber());
        assertThat(closed.status().code()).isEqualTo(200);
        assertThat(closed.successfulInvoiceCount()).isEqualTo(1);
        assertThat(simulator.receivedCount(sent.invoiceHash())).isEqualTo(1);
    }

    @Test
    void heldInvoiceStaysInProcessingPastItsDelayUntilReleasedAndStatusRequestsAreCounted() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        Instant from = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(Duration.between(Instant.now(), from).toMillis() + 1); // the seconds counted hold only this test's requests
        int before = simulator.statusRequestTotal();
        SentInvoice held;
        try {
            simulator.hold();
            held = client.sendInvoice(tokens.accessToken(), session, invoice());
            Thread.sleep(600); // twice the processing delay
            assertThat(client.invoiceStatus(tokens.accessToken(), session.referenceNumber(), held.referenceNumber())
                    .status().code()).as("held past its processing delay").isEqualTo(150);
        } finally {
            assertThat(simulator.release()).isNotNull();
        }
        InvoiceStatus done = awaitVerdict(tokens, session, held.referenceNumber());
        assertThat(done.status().code()).isEqualTo(200);
        SentInvoice after = client.sendInvoice(tokens.accessToken(), session, invoice());
        assertThat(awaitVerdict(tokens, session, after.referenceNumber()).status().code()).as("not held after the release").isEqualTo(200);
        assertThat(simulator.release()).as("nothing held any more").isNull();
        int looks = simulator.statusLooks().get(held.referenceNumber()).size()
                + simulator.statusLooks().get(after.referenceNumber()).size();
        assertThat(simulator.statusRequestTotal() - before).as("each status request counted").isEqualTo(looks);
        int[] perSecond = simulator.statusRequestsPerSecond(from, Instant.now().plusSeconds(1));
        assertThat(java.util.Arrays.stream(perSecond).sum()).as("counted in the seconds they came in").isEqualTo(looks);
    }

    @Test
    void schemaInvalidInvoiceIsRejectedWithCode430AndTheXsdMessage() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        byte[] xml = new String(invoice(), StandardCharsets.UTF_8).replace("<P_15>123.00</P_15>", "").getBytes(StandardCharsets.UTF_8);
        SentInvoice sent = client.sendInvoice(tokens.accessToken(), session, xml);
        InvoiceStatus done = awaitVerdict(tokens, session, sent.referenceNumber());
        assertThat(done.rejected()).isTrue();
        assertThat(done.status().code()).isEqualTo(430);
        assertThat(done.status().description()).isEqualTo("Błąd weryfikacji pliku faktury");
        assertThat(String.join(" ", done.status().details())).contains("P_15");
        assertThat(done.ksefNumber()).isNull();
    }

    @Test
    void secondInvoiceWithTheSameNumberIsADuplicate440NamingTheOriginal() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        byte[] xml = invoice();
        InvoiceStatus original = awaitVerdict(tokens, session, client.sendInvoice(tokens.accessToken(), session, xml).referenceNumber());
        InvoiceStatus duplicate = awaitVerdict(tokens, session, client.sendInvoice(tokens.accessToken(), session, xml).referenceNumber());
        assertThat(duplicate.status().code()).isEqualTo(440);
        assertThat(duplicate.originalKsefNumber()).contains(original.ksefNumber());
    }

    @Test
    void forcedSemanticRejectionCarriesKsefsCodeAndDetails() throws Exception {
        simulator.rejectNextInvoice(KsefStatus.of(450, "Błąd weryfikacji semantyki dokumentu faktury", "Nieprawidłowa suma P_15"));
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        InvoiceStatus done = awaitVerdict(tokens, session, client.sendInvoice(tokens.accessToken(), session, invoice()).referenceNumber());
        assertThat(done.status().code()).isEqualTo(450);
        assertThat(done.status().details()).containsExactly("Nieprawidłowa suma P_15");
    }

    @Test
    void tooManyRequestsSurfacesRetryAfterAndNothingIsProcessed() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        byte[] xml = invoice();
        simulator.inject("send-invoice", SimulatorFault.tooManyRequests(7), 1);
        assertThatThrownBy(() -> client.sendInvoice(tokens.accessToken(), session, xml))
                .isInstanceOfSatisfying(KsefRateLimitedException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.outcomeUnknown()).isFalse();
                });
        assertThat(simulator.receivedCount(KsefCrypto.sha256Base64(xml))).isZero();
        SentInvoice retried = client.sendInvoice(tokens.accessToken(), session, xml);
        assertThat(awaitVerdict(tokens, session, retried.referenceNumber()).accepted()).isTrue();
    }

    @Test
    void serverErrorIsTransientWithTheHttpStatus() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        simulator.inject("send-invoice", SimulatorFault.httpStatus(503), 1);
        assertThatThrownBy(() -> client.sendInvoice(tokens.accessToken(), session, invoice()))
                .isInstanceOfSatisfying(KsefTransientException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("send-invoice").contains("503");
                });
    }

    @Test
    void lostResponseThenLookupByHashFindsTheInvoiceAndNothingIsSentTwice() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        byte[] xml = invoice();
        String hash = KsefCrypto.sha256Base64(xml);
        simulator.inject("send-invoice", SimulatorFault.lostResponse(), 1);
        assertThatThrownBy(() -> client.sendInvoice(tokens.accessToken(), session, xml))
                .isInstanceOfSatisfying(KsefTransientException.class, e -> assertThat(e.outcomeUnknown()).isTrue());

        SentInvoice again = client.sendInvoiceOnce(tokens.accessToken(), session, xml);
        assertThat(again.alreadyPresent()).isTrue();
        assertThat(awaitVerdict(tokens, session, again.referenceNumber()).accepted()).isTrue();
        assertThat(simulator.receivedCount(hash)).isEqualTo(1);
    }

    @Test
    void timeoutIsTransientAndOutcomeUnknownForASend() throws Exception {
        AuthTokens tokens = login();
        OnlineSession session = open(tokens);
        byte[] xml = invoice();
        simulator.inject("send-invoice", SimulatorFault.slowAnswer(Duration.ofSeconds(3)), 1);
        assertThatThrownBy(() -> client.sendInvoice(tokens.accessToken(), session, xml))
                .isInstanceOfSatisfying(KsefTransientException.class, e -> {
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e.getMessage()).contains("timed out");
                });
        Thread.sleep(1500); // the slow request is still processed by the simulator
        assertThat(client.sendInvoiceOnce(tokens.accessToken(), session, xml).alreadyPresent()).isTrue();
        assertThat(simulator.receivedCount(KsefCrypto.sha256Base64(xml))).isEqualTo(1);
    }

    @Test
    void wrongKsefTokenIsRefusedWith450AndTheTokenIsInNoMessage() {
        String wrong = "not-the-registered-token-" + UUID.randomUUID();
        assertThatThrownBy(() -> client.authenticate(ContextIdentifier.nip(NIP), wrong.toCharArray(), Duration.ofMillis(50), Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(KsefPermanentException.class, e -> {
                    assertThat(e.errors()).extracting(KsefError::code).containsExactly(450);
                    assertThat(e.getMessage()).contains("450").doesNotContain(wrong);
                });
    }

    @Test
    void tokenOfAnotherContextIsRefusedWith415() {
        assertThatThrownBy(() -> client.authenticate(ContextIdentifier.nip("3434235649"), TOKEN.toCharArray(), Duration.ofMillis(50), Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(KsefPermanentException.class, e -> assertThat(e.errors()).extracting(KsefError::code).containsExactly(415));
    }

    @Test
    void tokensAreRedeemedOnceAndRefreshWorks() {
        PublicKeyCertificate key = client.publicKeyFor(PublicKeyCertificate.KSEF_TOKEN_ENCRYPTION);
        AuthOperation op = client.startTokenAuthentication(client.challenge(), ContextIdentifier.nip(NIP), TOKEN.toCharArray(), key);
        assertThat(client.authenticationStatus(op).inProgress()).isTrue();
        assertThat(op.toString()).doesNotContain(op.authenticationToken().token());
        await(() -> client.authenticationStatus(op).succeeded());
        AuthTokens tokens = client.redeemTokens(op);
        assertThatThrownBy(() -> client.redeemTokens(op)).isInstanceOfSatisfying(KsefPermanentException.class,
                e -> assertThat(e.errors()).extracting(KsefError::code).containsExactly(21301));
        BearerToken refreshed = client.refreshAccessToken(tokens.refreshToken());
        assertThat(refreshed.token()).isNotEqualTo(tokens.accessToken().token());
        assertThat(client.openOnlineSession(refreshed, client.publicKeyFor(PublicKeyCertificate.SYMMETRIC_KEY_ENCRYPTION)).referenceNumber()).hasSize(36);
    }

    @Test
    void unknownAccessTokenIs401Permanent() {
        assertThatThrownBy(() -> client.sessionStatus(new BearerToken("forged", null), "20261201-SO-0000000000-0000000000-00"))
                .isInstanceOfSatisfying(KsefPermanentException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }

    @Test
    void invoiceEncryptedWithAnotherKeyIsRejectedAsUndecryptable() throws Exception {
        AuthTokens tokens = login();
        OnlineSession other = new OnlineSession(open(tokens).referenceNumber(), null, SessionKey.generate());
        // a key the simulator never received: the file decrypts to garbage (or not at all)
        SentInvoice sent = client.sendInvoice(tokens.accessToken(), other, invoice());
        InvoiceStatus done = awaitVerdict(tokens, other, sent.referenceNumber());
        assertThat(done.status().code()).isIn(435, 430);
    }

    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
