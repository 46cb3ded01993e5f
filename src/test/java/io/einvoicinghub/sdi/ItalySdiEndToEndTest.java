package io.einvoicinghub.sdi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.sdi.simulator.SdiScenario;
import io.einvoicinghub.sdi.simulator.SdiSimulator;
import io.einvoicinghub.sdi.simulator.SimulatorPki;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installed it-fatturapa feature from unified JSON to SDI's verdict: the ERP submits an Italian invoice, the hub
 * makes the FatturaPA, validates it against the official XSD, names and signs it (CAdES .p7m, the default), sends it
 * to the SDI simulator over mutual TLS (hub.sdi.send=true) and is Pending until SDI's final message: a B2B invoice
 * delivered (RicevutaConsegna), and an invoice to a public administration accepted by it (NotificaEsito EC01). The
 * simulator checked the name, the CAdES signature and the XSD itself.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=2", "hub.processing.pending-poll-millis=100", "hub.validation.warm-up-enabled=false",
        "hub.italy.signature=cades", "hub.sdi.send=true", "hub.sdi.trusted-certificate=" + SimulatorPki.CA})
class ItalySdiEndToEndTest {

    private static final Path DATA_DIR = SdiTestHub.temp("hub-italy-sdi-");
    private static final SimulatorPki PKI = SdiTestHub.pki();
    private static final int ENDPOINT_PORT = SdiTestHub.freePort();
    private static final SdiSimulator SDI = SdiTestHub.startSimulator(PKI, ENDPOINT_PORT);
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");
    /** The transmitter of the samples' legal entities (DatiTrasmissione/IdTrasmittente). */
    private static final String TRANSMITTER = "IT01234567897";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path secrets = Files.createDirectories(DATA_DIR.resolve("secrets"));
        String password = "ks-" + UUID.randomUUID();
        PKI.writeHubKeystore(secrets, password, Map.of("it-signing-IT01", SimulatorPki.HUB_SIGNING,
                "sdi-transmitter-" + TRANSMITTER, SimulatorPki.HUB_CLIENT));
        Files.writeString(secrets.resolve("secrets.properties"), "keystore-password=" + password + "\n");
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.secrets.local.dir", secrets::toString);
        registry.add("hub.sdi.endpoint", () -> SDI.endpoint().toString());
        registry.add("hub.sdi.notifications.enabled", () -> "true");
        registry.add("hub.sdi.notifications.port", () -> Integer.toString(ENDPOINT_PORT));
        registry.add("hub.sdi.notifications.bind-address", () -> "127.0.0.1");
        registry.add("hub.sdi.notifications.server-certificate", () -> SimulatorPki.HUB_ENDPOINT);
        registry.add("hub.sdi.notifications.trusted-certificate", () -> SimulatorPki.CA);
    }

    @Test
    void b2bInvoiceFromUnifiedJsonIsDeliveredBySdi() throws Exception {
        String number = "FT-" + (100000 + (int) (Math.random() * 899999));
        SDI.scenarioFor("<Numero>" + number + "</Numero>", SdiScenario.deliver());

        JsonNode done = awaitTerminal(submit("samples/fatturapa/01-b2b-standard-rate.json", number));

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        String fileName = output(done, "sdiFileName");
        assertThat(fileName).matches(TRANSMITTER + "_[0-9A-Z]{5}\\.xml\\.p7m");
        List<SdiSimulator.ReceivedFile> files = SDI.files(fileName);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).errors()).as("SDI's checks of name, CAdES signature and XSD").isEmpty();
        assertThat(files.get(0).format()).isEqualTo("FPR12");
        assertThat(output(done, "identificativoSdI")).isEqualTo(files.get(0).identificativoSdI());
        assertThat(output(done, "sdiOutcome")).isEqualTo("RC");
        assertThat(names(done)).contains(fileName, SdiFileName.base(fileName) + "_RC_001.xml");
    }

    @Test
    void invoiceToAPublicAdministrationIsAcceptedByItThroughSdi() throws Exception {
        String number = "FT-" + (100000 + (int) (Math.random() * 899999));
        SDI.scenarioFor("<Numero>" + number + "</Numero>", SdiScenario.paAccept());

        JsonNode done = awaitTerminal(submit("samples/fatturapa/02-pa-split-payment.json", number));

        assertThat(done.path("verdict").asText()).as(done.toString()).isEqualTo("Accepted");
        String fileName = output(done, "sdiFileName");
        assertThat(SDI.files(fileName)).singleElement().satisfies(f -> {
            assertThat(f.format()).isEqualTo("FPA12");
            assertThat(f.errors()).isEmpty();
        });
        assertThat(output(done, "sdiOutcome")).isEqualTo("NE EC01");
        assertThat(done.path("statusMessage").asText()).contains("Accepted by the public administration");
        assertThat(names(done)).contains(SdiFileName.base(fileName) + "_RC_001.xml", SdiFileName.base(fileName) + "_NE_002.xml");
    }

    private String submit(String sample, String number) throws IOException {
        ObjectNode submission = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of(sample)));
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "IT-SDI-" + UUID.randomUUID());
        ((ObjectNode) submission.get("document")).put("number", number);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(UnifiedJson.write(submission))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UnifiedJson.mapper().readTree(response.body()).path("id").asText();
    }

    private JsonNode awaitTerminal(String id) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode s = null;
        while (Instant.now().isBefore(deadline)) {
            s = UnifiedJson.mapper().readTree(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id)).GET().build()).body());
            if (TERMINAL.contains(s.path("status").asText())) {
                return s;
            }
            SdiTestHub.sleep(100);
        }
        throw new AssertionError("not terminal in time: " + s);
    }

    private static List<String> names(JsonNode s) {
        return StreamSupport.stream(s.path("artifacts").spliterator(), false).map(a -> a.path("name").asText()).toList();
    }

    private static String output(JsonNode s, String name) {
        return SdiTestHub.output(s, name);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
