package io.einvoicinghub.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Profile dev: an integrator edits a feature's files and the running hub follows, without a restart. */
@ActiveProfiles("dev")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DevModeReloadTest extends HubIntegrationTest {

    private static Path routes;

    @DynamicPropertySource
    static void editableCopyOfRoutes(DynamicPropertyRegistry registry) throws IOException {
        Path root = Files.createTempDirectory("hub-dev-");
        routes = root.resolve("routes");
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
        registry.add("hub.routes-dir", routes::toString);
        registry.add("hub.data-dir", () -> root.resolve("data").toString());
        registry.add("spring.artemis.embedded.data-directory", () -> root.resolve("data/broker").toString());
    }

    private HttpResponse<String> submitAustrian() {
        ObjectNode submission = sample("valid/01-standard-rate-sepa-transfer.json");
        ((ObjectNode) submission.get("context")).put("country", "AT").put("erpDocumentId", "DEV-" + UUID.randomUUID());
        return post("/api/v1/submissions", text(submission));
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String content = Files.readString(file);
        assertThat(content).contains(from);
        Files.writeString(file, content.replace(from, to));
        // a later timestamp even on file systems with a coarse clock
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
    }

    @Test
    void editedApplicabilityRulesAndRouteTakeEffectWithoutRestart() throws Exception {
        assertThat(submitAustrian().statusCode()).isEqualTo(422);

        Path feature = routes.resolve("features/xrechnung-ubl");
        edit(feature.resolve("feature.yaml"), "      operator: equals\n      value: DE", "      operator: in\n      values: [DE, AT]");
        edit(feature.resolve("route.camel.yaml"), "value: xrechnung-ubl.xml", "value: xrechnung-ubl-edited.xml");

        HttpResponse<String> accepted = submitAustrian();
        assertThat(accepted.statusCode()).isEqualTo(202);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode done;
        do {
            // the route file is picked up within a second or two; resubmitting shows when it is
            done = awaitTerminal(json(accepted).path("id").asText());
            if (names(done).contains("xrechnung-ubl-edited.xml")) {
                break;
            }
            Thread.sleep(500);
            accepted = submitAustrian();
        } while (Instant.now().isBefore(deadline));

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(names(done)).contains("xrechnung-ubl-edited.xml");
        assertThat(get("/api/v1/features").body()).contains("xrechnung-ubl-edited.xml");
    }

    private static java.util.List<String> names(JsonNode submission) {
        return StreamSupport.stream(submission.path("artifacts").spliterator(), false).map(a -> a.path("name").asText()).toList();
    }
}
