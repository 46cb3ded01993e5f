package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.ksef.simulator.KsefSimulator;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KSeF import channel in the whole hub: its route polls the KSeF simulator with the KSeF token from the local
 * secret store; what suppliers send to KSeF appears in the buyer's ERP list over HTTP, with the original as sent.
 */
// its channel consumers poll servers the class stops: the context must close with the class, or they keep
// polling (and logging failures) into the tests that follow
@DirtiesContext
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=1", "hub.validation.warm-up-enabled=false"})
class KsefImportHubTest {

    static final String ERP_PL01 = "pl01-" + UUID.randomUUID();
    static KsefSimulator simulator;

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        simulator = new KsefSimulator().registerKsefToken(KsefImportChannelTest.SELLER_TOKEN, KsefImportChannelTest.SELLER)
                .registerKsefToken(KsefImportChannelTest.BUYER_TOKEN, KsefImportChannelTest.BUYER)
                .authenticationDelay(Duration.ofMillis(100)).processingDelay(Duration.ofMillis(300)).start(0);
        Path data = Files.createTempDirectory("hub-ksef-import-");
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve("secrets/secrets.properties"), "ksef-token-pl01=" + KsefImportChannelTest.BUYER_TOKEN + "\n");
        registry.add("hub.data-dir", data::toString);
        registry.add("hub.inbound.ksef-import.enabled", () -> "true");
        registry.add("hub.inbound.ksef-import.initial-delay", () -> "200");
        registry.add("hub.inbound.ksef-import.poll-interval", () -> "300");
        registry.add("hub.inbound.ksef-import.entities[0].legal-entity", () -> "PL01");
        registry.add("hub.inbound.ksef-import.entities[0].nip", () -> KsefImportChannelTest.BUYER);
        registry.add("hub.inbound.ksef-import.entities[0].environment", () -> simulator.baseUri().toString());
        registry.add("hub.inbound.ksef-import.entities[0].token-secret", () -> "ksef-token-pl01");
        registry.add("hub.inbound.ksef-import.entities[0].start-date", () -> LocalDate.now().minusDays(1).toString());
        registry.add("hub.inbound.legal-entities[0].id", () -> "PL01");
        registry.add("hub.inbound.legal-entities[0].vat-ids", () -> "PL" + KsefImportChannelTest.BUYER);
        registry.add("hub.security.keys[0].name", () -> "erp-pl01");
        registry.add("hub.security.keys[0].sha256", () -> InboundIntake.sha256(ERP_PL01.getBytes(StandardCharsets.UTF_8)));
        registry.add("hub.security.keys[0].legal-entities", () -> "PL01");
        registry.add("hub.security.keys[0].scopes", () -> "submit,read");
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void whatSuppliersSendToKsefReachesTheBuyersErp() throws Exception {
        KsefImportChannelTest seller = new KsefImportChannelTest();
        seller.simulator = simulator;
        seller.seller = new io.einvoicinghub.ksef.KsefClient(new io.einvoicinghub.ksef.KsefEnvironment("simulator", simulator.baseUri()),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofSeconds(5));
        String ksefNumber = seller.sendAndAwait("FV/HUB/" + UUID.randomUUID());

        JsonNode item = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (item == null && System.nanoTime() < deadline) {
            JsonNode list = json(get("/api/v1/inbound/documents?legalEntity=PL01"));
            for (JsonNode i : list.path("items")) {
                if ((ksefNumber + ".xml").equals(i.path("fileName").asText())) {
                    item = i;
                }
            }
            if (item == null) {
                Thread.sleep(200);
            }
        }
        assertThat(item).as("imported within 30 s").isNotNull();
        assertThat(item.path("status").asText()).isEqualTo("Valid");
        assertThat(item.path("format").asText()).isEqualTo("KSEF_FA3");
        HttpResponse<byte[]> original = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + item.path("links").path("original").asText())).header("X-API-Key", ERP_PL01).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(new String(original.body(), StandardCharsets.UTF_8)).contains("<P_2>FV/HUB/");
        Thread.sleep(1000); // further polls take nothing again
        assertThat(json(get("/api/v1/inbound/documents?legalEntity=PL01")).path("items").findValuesAsText("fileName")
                .stream().filter((ksefNumber + ".xml")::equals)).hasSize(1);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-API-Key", ERP_PL01)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return UnifiedJson.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }
}
