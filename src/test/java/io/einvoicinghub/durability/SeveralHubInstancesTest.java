package io.einvoicinghub.durability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.HubApplication;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.einvoicinghub.ksef.simulator.KsefSimulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hub instances on one external Artemis broker, one PostgreSQL database and one storage: documents
 * submitted to either are each processed exactly once, by whichever instance takes them from the queue.
 */
class SeveralHubInstancesTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String SCHEMA = "hub_multi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    private static final String KSEF_TOKEN = "ksef-" + UUID.randomUUID();
    /** KSeF takes 3 s per invoice, so each run is looked at many times while Pending, by either instance. */
    private static final KsefSimulator KSEF = new KsefSimulator().registerKsefToken(KSEF_TOKEN, "5265877635")
            .processingDelay(Duration.ofSeconds(3)).start(0);
    private static EmbeddedActiveMQ broker;
    private static final List<ConfigurableApplicationContext> hubs = new ArrayList<>();
    private static final List<String> baseUrls = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startBrokerAndTwoHubs() throws Exception {
        int brokerPort = freePort();
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false).setSecurityEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort));
        broker.start();
        Path shared = Files.createTempDirectory("hub-multi-");
        Path secrets = Files.createDirectories(shared.resolve("secrets"));
        Files.writeString(secrets.resolve("secrets.properties"), "ksef-token-PL01=" + KSEF_TOKEN + "\n");
        for (String node : List.of("node-a", "node-b")) {
            // as command-line arguments: they outrank the profiles' own settings
            ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class)
                    .profiles("postgres", "external-broker")
                    .run("--server.port=0", "--hub.node-id=" + node,
                            "--hub.data-dir=" + shared.resolve(node),
                            "--hub.storage.local.root=" + shared.resolve("storage"),
                            "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort,
                            "--spring.datasource.url=" + POSTGRES + "?currentSchema=" + SCHEMA,
                            "--spring.flyway.schemas=" + SCHEMA, "--spring.flyway.create-schemas=true",
                            "--hub.processing.concurrency=1",
                            "--hub.secrets.local.dir=" + secrets,
                            "--hub.ksef.environment=" + KSEF.baseUri(),
                            "--hub.ksef.poll-interval=200ms",
                            "--hub.processing.pending-poll-millis=50");
            hubs.add(hub);
            baseUrls.add("http://127.0.0.1:" + ((WebServerApplicationContext) hub).getWebServer().getPort());
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        hubs.forEach(ConfigurableApplicationContext::close);
        KSEF.close();
        if (broker != null) {
            broker.stop();
        }
        new JdbcTemplate(new DriverManagerDataSource(POSTGRES, "postgres", "")).execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private JsonNode send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return UnifiedJson.mapper().readTree(response.body());
    }

    @Test
    void eachDocumentIsProcessedOnceByOneOfTheInstances() throws Exception {
        ObjectNode sample = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of("samples/valid/02-standard-and-reduced-rates.json")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ObjectNode submission = sample.deepCopy();
            ((ObjectNode) submission.get("context")).put("erpDocumentId", "MULTI-" + i + "-" + UUID.randomUUID());
            JsonNode accepted = send(HttpRequest.newBuilder(URI.create(baseUrls.get(i % 2) + "/api/v1/submissions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(UnifiedJson.write(submission))).build());
            ids.add(accepted.path("id").asText());
        }

        Set<String> processingNodes = new HashSet<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        for (String id : ids) {
            JsonNode submission;
            do {
                // either instance answers for every submission: the log lives in the shared database
                submission = send(HttpRequest.newBuilder(URI.create(baseUrls.get(1) + "/api/v1/submissions/" + id)).build());
                if (!TERMINAL.contains(submission.path("status").asText())) {
                    Thread.sleep(100);
                }
            } while (!TERMINAL.contains(submission.path("status").asText()) && Instant.now().isBefore(deadline));

            assertThat(submission.path("status").asText()).as(id).isEqualTo("Completed");
            List<String> transitions = new ArrayList<>();
            submission.path("history").forEach(h -> transitions.add(h.path("to").asText()));
            assertThat(transitions).as(id).containsExactly("Scheduled", "Executing", "Completed");
            processingNodes.add(submission.path("history").get(1).path("node").asText());
        }
        assertThat(processingNodes).containsExactlyInAnyOrder("node-a", "node-b");
    }

    @Test
    void eachPendingRunIsLookedAtByOneInstanceAtATime() throws Exception {
        ObjectNode sample = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of("samples/ksef/01-standard-rate.json")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ObjectNode submission = sample.deepCopy();
            String unique = UUID.randomUUID().toString().substring(0, 8);
            ((ObjectNode) submission.get("context")).put("erpDocumentId", "MULTI-KSEF-" + unique);
            ((ObjectNode) submission.get("document")).put("number", "FV/MULTI/" + unique);
            JsonNode accepted = send(HttpRequest.newBuilder(URI.create(baseUrls.get(i % 2) + "/api/v1/submissions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(UnifiedJson.write(submission))).build());
            ids.add(accepted.path("id").asText());
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        for (String id : ids) {
            JsonNode submission;
            do {
                submission = send(HttpRequest.newBuilder(URI.create(baseUrls.get(0) + "/api/v1/submissions/" + id)).build());
                if (!TERMINAL.contains(submission.path("status").asText())) {
                    Thread.sleep(100);
                }
            } while (!TERMINAL.contains(submission.path("status").asText()) && Instant.now().isBefore(deadline));
            assertThat(submission.path("verdict").asText()).as(submission.toString()).isEqualTo("Accepted");
            List<String> transitions = new ArrayList<>();
            submission.path("history").forEach(h -> transitions.add(h.path("to").asText()));
            assertThat(transitions).as(id).containsExactly("Scheduled", "Executing", "Pending", "Completed");
        }
        // the schedule says: look again 200 ms (growing ×1.5) after the last look. Two instances polling one run
        // would show as two looks at once; one at a time, consecutive looks are at least ~200 ms apart.
        var looks = KSEF.statusLooks();
        assertThat(looks).hasSize(ids.size());
        long closest = Long.MAX_VALUE;
        int total = 0;
        for (List<Instant> times : looks.values()) {
            assertThat(times.size()).as("looks while KSeF took 3 s").isGreaterThanOrEqualTo(4);
            total += times.size();
            for (int i = 1; i < times.size(); i++) {
                closest = Math.min(closest, Duration.between(times.get(i - 1), times.get(i)).toMillis());
            }
        }
        System.out.printf("[several-instances] %d Pending runs, %d status looks, closest two looks of one run %d ms apart%n",
                looks.size(), total, closest);
        assertThat(closest).as("shortest gap between two looks at one run").isGreaterThanOrEqualTo(150);
    }
}
