package io.einvoicinghub.api;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.AzuriteExtension;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.annotation.DirtiesContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole hub on its production backends: status and log in PostgreSQL (profile {@code postgres}, a schema
 * of its own) and every file in Azure Blob Storage through Camel's component, against Azurite.
 */
@ExtendWith(AzuriteExtension.class)
@ActiveProfiles("postgres")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProductionBackendsHubTest extends HubIntegrationTest {

    private static final String SCHEMA = "hub_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String CONTAINER = "hub-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    @DynamicPropertySource
    static void productionBackends(DynamicPropertyRegistry registry) throws java.io.IOException {
        // a data folder of its own: two embedded brokers must never share a journal
        String dataDir = java.nio.file.Files.createTempDirectory("hub-prod-it-").toString();
        registry.add("hub.data-dir", () -> dataDir);
        registry.add("spring.artemis.embedded.data-directory", () -> dataDir + "/broker");
        registry.add("spring.datasource.url", () -> POSTGRES + "?currentSchema=" + SCHEMA);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.flyway.create-schemas", () -> "true");
        registry.add("hub.storage.type", () -> "azure-blob");
        registry.add("hub.storage.azure.container", () -> CONTAINER);
        registry.add("hub.storage.azure.connection-string", () -> AzuriteExtension.azurite().connectionString());
    }

    /** Schemas of earlier runs go; this run's stays until its context (closed after the class) no longer uses it. */
    @BeforeAll
    static void dropSchemasOfEarlierRuns() {
        JdbcTemplate admin = new JdbcTemplate(new DriverManagerDataSource(POSTGRES, "postgres", ""));
        admin.queryForList("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'hub_e2e_%'",
                String.class).forEach(schema -> admin.execute("DROP SCHEMA " + schema + " CASCADE"));
    }

    @Test
    void submissionIsLoggedInPostgresAndItsFilesAreBlobs() {
        ObjectNode submission = sample("valid/14-sepa-direct-debit.json");
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "PROD-" + UUID.randomUUID());
        HttpResponse<String> accepted = post("/api/v1/submissions", text(submission));
        assertThat(accepted.statusCode()).isEqualTo(202);

        JsonNode done = awaitTerminal(json(accepted).path("id").asText());

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        var blobs = new BlobServiceClientBuilder().connectionString(AzuriteExtension.azurite().connectionString())
                .buildClient().getBlobContainerClient(CONTAINER);
        for (JsonNode artifact : done.path("artifacts")) {
            String key = artifact.path("storageKey").asText();
            assertThat(blobs.getBlobClient(key).exists()).as(key).isTrue();
            assertThat(blobs.getBlobClient(key).getProperties().getBlobSize()).isEqualTo(artifact.path("size").asLong());
            assertThat(getBytes(artifact.path("href").asText()).body()).hasSize(artifact.path("size").asInt());
        }
        Integer rows = new JdbcTemplate(new DriverManagerDataSource(POSTGRES + "?currentSchema=" + SCHEMA, "postgres", ""))
                .queryForObject("SELECT COUNT(*) FROM submission_event WHERE submission_id = ?", Integer.class,
                        done.path("id").asText());
        assertThat(rows).isEqualTo(3);
    }
}
