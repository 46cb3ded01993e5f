package io.einvoicinghub.inbound;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.testsupport.AzuriteExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static io.einvoicinghub.inbound.SftpChannelTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Azure Blob container as a drop folder on the whole hub, against Azurite: blobs below the source's prefix are
 * taken once, copied to the done container and deleted after their receipt is committed; a Failed one goes to the
 * error container; blobs outside the prefix are left alone.
 */
@ExtendWith(AzuriteExtension.class)
// its channel consumers poll servers the class stops: the context must close with the class, or they keep
// polling (and logging failures) into the tests that follow
@DirtiesContext
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=1", "hub.validation.warm-up-enabled=false"})
class BlobChannelTest {

    private static final String CONTAINER = "drop-" + UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ArtifactStore store;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("hub-blob-channel-").resolve("data");
        Properties secrets = new Properties();
        secrets.setProperty("blob-drop", AzuriteExtension.azurite().connectionString());
        Files.createDirectories(data.resolve("secrets"));
        try (OutputStream out = Files.newOutputStream(data.resolve("secrets/secrets.properties"))) {
            secrets.store(out, null);
        }
        blobs().createBlobContainerIfNotExists(CONTAINER);
        registry.add("hub.data-dir", data::toString);
        registry.add("hub.inbound.legal-entities[0].id", () -> "DE01");
        registry.add("hub.inbound.legal-entities[0].endpoint-ids", () -> "0088:4000001987658");
        String prefix = "hub.inbound.channels.blob[0].";
        registry.add(prefix + "id", () -> "drop-de");
        registry.add(prefix + "account", () -> AzuriteExtension.ACCOUNT);
        registry.add(prefix + "container", () -> CONTAINER);
        registry.add(prefix + "prefix", () -> "de/");
        registry.add(prefix + "connection-string-secret", () -> "blob-drop");
        registry.add(prefix + "after", () -> "move");
        registry.add(prefix + "delay", () -> "300ms");
    }

    private static BlobServiceClient blobs() {
        return new BlobServiceClientBuilder().connectionString(AzuriteExtension.azurite().connectionString()).buildClient();
    }

    @Test
    void blobsBelowThePrefixAreTakenOnceAndMovedAfterTheirReceipt() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("inbound-blob-drop-de")).isEqualTo(ServiceStatus.Started);
        byte[] invoice = rendered("13-prepaid-amount.json", PinnedFeature.PEPPOL_BIS_UBL);
        byte[] notes = "not an invoice".getBytes(StandardCharsets.UTF_8);
        BlobContainerClient drop = blobs().getBlobContainerClient(CONTAINER);
        drop.getBlobClient("other/INV-0113.xml").upload(BinaryData.fromBytes(invoice));
        drop.getBlobClient("de/INV-0113.xml").upload(BinaryData.fromBytes(invoice));
        drop.getBlobClient("de/notes.txt").upload(BinaryData.fromBytes(notes));

        await("both taken", () -> names(drop).equals(List.of("other/INV-0113.xml")));
        Map<String, Object> receipt = jdbc.queryForMap("SELECT * FROM inbound_receipt WHERE source_reference = ?",
                "blob:drop-de:de/INV-0113.xml");
        assertThat(receipt.get("STATUS")).isEqualTo("Converted");
        assertThat(receipt.get("FILE_NAME")).isEqualTo("INV-0113.xml");
        assertThat(store.get(receipt.get("STORAGE_PREFIX") + "01-original")).hasValueSatisfying(b -> assertThat(b).isEqualTo(invoice));
        assertThat(blobs().getBlobContainerClient(CONTAINER + "-done").getBlobClient("de/INV-0113.xml").downloadContent()
                .toBytes()).isEqualTo(invoice);
        assertThat(jdbc.queryForObject("SELECT status FROM inbound_receipt WHERE source_reference = ?", String.class,
                "blob:drop-de:de/notes.txt")).isEqualTo("Failed");
        assertThat(blobs().getBlobContainerClient(CONTAINER + "-error").getBlobClient("de/notes.txt").downloadContent()
                .toBytes()).isEqualTo(notes);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_receipt WHERE source_reference LIKE 'blob:drop-de:de/%'",
                Integer.class)).isEqualTo(2);
    }

    private static List<String> names(BlobContainerClient container) {
        return container.listBlobs().stream().map(b -> b.getName()).sorted().toList();
    }
}
