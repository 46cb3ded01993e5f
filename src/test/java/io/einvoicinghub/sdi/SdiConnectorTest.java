package io.einvoicinghub.sdi;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.sdi.simulator.SdiErrors;
import io.einvoicinghub.sdi.simulator.SdiFault;
import io.einvoicinghub.sdi.simulator.SdiScenario;
import io.einvoicinghub.sdi.simulator.SdiSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDI connector end to end against the SDI simulator: a FatturaPA file is signed, sent over SdIRiceviFile and the
 * run stays Pending until SDI's final message arrives at the hub's TrasmissioneFatture endpoint. Each outcome SDI
 * knows, its messages stored and logged, the verdict and SDI's identifiers; and exactly once when SDI's answer is lost.
 */
class SdiConnectorTest extends SdiTestHub {

    private static List<String> artifactNames(JsonNode s) {
        return StreamSupport.stream(s.path("artifacts").spliterator(), false).map(a -> a.path("name").asText()).toList();
    }

    private static String base(String fileName) {
        return SdiFileName.base(fileName);
    }

    @Test
    void b2bInvoiceDeliveredByRicevutaConsegnaIsAccepted() {
        String number = number("DELIVER");
        SDI.scenarioFor(number, SdiScenario.deliver());
        String id = submit(number, "test-sdi-b2b");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        String fileName = sentFileName(done);
        assertThat(fileName).matches("IT01234567890_\\d{5}\\.xml");
        List<SdiSimulator.ReceivedFile> files = SDI.files(fileName);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).errors()).isEmpty();
        assertThat(output(done, "identificativoSdI")).isEqualTo(files.get(0).identificativoSdI());
        assertThat(output(done, "sdiOutcome")).isEqualTo("RC");
        assertThat(done.path("statusMessage").asText()).contains("Delivered").contains(files.get(0).identificativoSdI());
        assertThat(artifactNames(done)).contains(base(fileName) + "_RC_001.xml", "sdi-RiceviFile-response.xml");
        byte[] rc = download(StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .filter(a -> a.path("name").asText().endsWith("_RC_001.xml")).findFirst().orElseThrow().path("href").asText());
        assertThat(rc).isEqualTo(SDI.messages(fileName).get(0).signedXml());
    }

    private static String notificationFile(JsonNode s, String type) {
        return artifactNames(s).stream().filter(n -> n.matches(".*_" + type + "_\\d{3}\\.xml")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " message stored: " + artifactNames(s)));
    }

    @Test
    void fileFailingSdisChecksIsRejectedWithTheNotificaScartoCodesAsFindings() {
        String number = "SCARTO-SENZA-CIFRE"; // 2.1.1.4 <Numero> without a digit: SDI's check 00425
        String id = submit(number, "test-sdi-b2b");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Rejected");
        assertThat(done.path("findings").toString()).contains("\"ruleId\":\"" + SdiErrors.NUMBER_WITHOUT_DIGITS + "\"")
                .contains("\"layer\":\"SDI\"");
        assertThat(done.path("statusMessage").asText()).contains("NotificaScarto").contains(SdiErrors.NUMBER_WITHOUT_DIGITS);
        assertThat(output(done, "sdiOutcome")).isEqualTo("NS");
        notificationFile(done, "NS");
        assertThat(SDI.acceptedFiles(sentFileName(done))).isZero();
    }

    @Test
    void paInvoiceNotDeliverableEndsWithTheAttestazioneAfterTheMancataConsegna() {
        String number = number("MC-AT");
        SDI.scenarioFor(number, SdiScenario.notDeliverable());
        String id = submit(number, "test-sdi-pa");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(output(done, "sdiOutcome")).isEqualTo("AT");
        assertThat(done.path("statusMessage").asText()).contains("AttestazioneTrasmissioneFattura");
        String fileName = sentFileName(done);
        assertThat(fileName).endsWith(".xml.p7m");
        assertThat(artifactNames(done)).contains(base(fileName) + "_MC_001.xml", base(fileName) + "_AT_002.xml");
    }

    @Test
    void paInvoiceAcceptedByTheAdministrationEC01() {
        String number = number("EC01");
        SDI.scenarioFor(number, SdiScenario.paAccept());
        String id = submit(number, "test-sdi-pa");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("verdict").asText()).as(done.toString()).isEqualTo("Accepted");
        assertThat(output(done, "sdiOutcome")).isEqualTo("NE EC01");
        assertThat(artifactNames(done)).contains(base(sentFileName(done)) + "_RC_001.xml", base(sentFileName(done)) + "_NE_002.xml");
    }

    @Test
    void paInvoiceRefusedByTheAdministrationEC02IsRejectedWithItsReason() {
        String number = number("EC02");
        SDI.scenarioFor(number, SdiScenario.paRefuse("Impegno di spesa non trovato"));
        String id = submit(number, "test-sdi-pa");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Rejected");
        assertThat(output(done, "sdiOutcome")).isEqualTo("NE EC02");
        assertThat(done.path("findings").toString()).contains("EC02").contains("Impegno di spesa non trovato");
    }

    @Test
    void lostAnswerThenRetryLeavesOneFileAtSdiAndTheCopysDuplicateIsNoOutcome() {
        String number = number("LOST");
        SDI.scenarioFor(number, SdiScenario.deliver());
        SDI.notificationDelay(Duration.ofSeconds(4)); // SDI's messages come after the hub has sent again
        try {
            SDI.failNext(SdiFault.lostResponse());
            String id = submit(number, "test-sdi-b2b");

            JsonNode done = awaitTerminal(id);

            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
            assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
            String fileName = sentFileName(done);
            assertThat(SDI.calls(fileName)).as("the file was sent twice, under one name").isEqualTo(2);
            assertThat(SDI.acceptedFiles(fileName)).as("files SDI took for processing").isEqualTo(1);
            // SDI checks a file after its answer (the simulator after its notification delay): the copy's record, with
            // its 00002, may come after the original's RC has completed the run
            java.time.Instant checked = java.time.Instant.now().plusSeconds(30);
            while (SDI.files(fileName).size() < 2 && java.time.Instant.now().isBefore(checked)) {
                sleep(100);
            }
            List<SdiSimulator.ReceivedFile> files = SDI.files(fileName);
            assertThat(files).as("the original and the copy SDI checked").hasSize(2);
            SdiSimulator.ReceivedFile original = files.stream().filter(f -> f.errors().isEmpty()).findFirst().orElseThrow();
            SdiSimulator.ReceivedFile copy = files.stream().filter(f -> !f.errors().isEmpty()).findFirst().orElseThrow();
            assertThat(copy.errors()).extracting(e -> e.code()).containsExactly(SdiErrors.DUPLICATE_NAME);
            assertThat(output(done, "identificativoSdI")).isEqualTo(original.identificativoSdI());
            assertThat(done.path("findings").toString()).doesNotContain(SdiErrors.DUPLICATE_NAME);
            assertThat(artifactNames(done)).contains(base(fileName) + "_RC_001.xml");
            assertThat(done.path("steps").toString()).contains("Retried");
            // the copy's NotificaScarto 00002 may come after the outcome: kept, and the verdict stands
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
            while (SDI.messages(fileName).stream().noneMatch(m -> m.identificativoSdI().equals(copy.identificativoSdI()) && m.delivered())
                    && java.time.Instant.now().isBefore(deadline)) {
                sleep(100);
            }
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sdi_notification WHERE invoice_file = ? AND identificativo_sdi = ? "
                    + "AND message_type = 'NS'", Integer.class, fileName, copy.identificativoSdI())).isEqualTo(1);
            JsonNode after = submission(id);
            assertThat(after.path("verdict").asText()).isEqualTo("Accepted");
            assertThat(after.path("findings").toString()).doesNotContain(SdiErrors.DUPLICATE_NAME);
        } finally {
            SDI.notificationDelay(Duration.ofMillis(300));
        }
    }

    @Test
    void messageArrivingBeforeSdIRiceviFilesAnswerFindsItsRun() {
        String number = number("EARLY");
        SDI.scenarioFor(number, SdiScenario.deliver());
        SDI.failNext(SdiFault.notifyBeforeAnswer());
        String id = submit(number, "test-sdi-b2b");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("verdict").asText()).as(done.toString()).isEqualTo("Accepted");
        String fileName = sentFileName(done);
        assertThat(SDI.calls(fileName)).isEqualTo(1);
        java.time.OffsetDateTime rcReceived = jdbc.queryForObject("SELECT received_at FROM sdi_notification WHERE invoice_file = ?",
                java.time.OffsetDateTime.class, fileName);
        java.time.OffsetDateTime sendFinished = java.time.OffsetDateTime.parse(StreamSupport.stream(done.path("steps").spliterator(), false)
                .filter(st -> st.path("name").asText().equals("send") && st.path("status").asText().equals("Succeeded"))
                .findFirst().orElseThrow().path("finishedAt").asText());
        assertThat(rcReceived).as("the RicevutaConsegna came before the send step had SDI's answer").isBefore(sendFinished);
    }

    @Test
    void theTrasmissioneFattureEndpointRefusesClientsWithoutSdisCertificateAndBadMessages() throws Exception {
        io.einvoicinghub.sdi.simulator.SimulatorPki stranger = new io.einvoicinghub.sdi.simulator.SimulatorPki("Rogue CA");
        java.net.URI endpoint = java.net.URI.create("https://localhost:" + ENDPOINT_PORT + "/TrasmissioneFatture");
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(endpoint).header("Content-Type", SdiSoap.CONTENT_TYPE)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("<x/>")).build();
        java.net.http.HttpClient rogue = java.net.http.HttpClient.newBuilder().sslContext(mixed(stranger)).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rogue.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);

        java.net.http.HttpClient sdi = java.net.http.HttpClient.newBuilder().sslContext(PKI.tls(io.einvoicinghub.sdi.simulator.SimulatorPki.SDI_CLIENT)).build();
        java.net.http.HttpResponse<String> bad = sdi.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(500);
        assertThat(bad.body()).contains("faultstring").contains("not a SOAP 1.1 envelope");
    }

    /** Presents {@code stranger}'s client certificate while trusting the hub's (the test PKI's) CA. */
    private static javax.net.ssl.SSLContext mixed(io.einvoicinghub.sdi.simulator.SimulatorPki stranger) throws Exception {
        char[] password = "x".toCharArray();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("c", stranger.identity(io.einvoicinghub.sdi.simulator.SimulatorPki.SDI_CLIENT).keys().getPrivate(), password,
                stranger.chain(io.einvoicinghub.sdi.simulator.SimulatorPki.SDI_CLIENT).toArray(new java.security.cert.X509Certificate[0]));
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PKI.caCertificate);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
}
