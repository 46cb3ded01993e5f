package io.einvoicinghub.storage;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import io.einvoicinghub.testsupport.AzuriteExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract against Azurite, through a real Camel context and the camel-azure-storage-blob component. */
@ExtendWith(AzuriteExtension.class)
class AzureBlobArtifactStoreTest extends ArtifactStoreContractTest {

    private static CamelContext camel;
    private static BlobServiceClient serviceClient;
    private static AzureBlobArtifactStore shared;
    private static String container;

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
        serviceClient = new BlobServiceClientBuilder()
                .connectionString(AzuriteExtension.azurite().connectionString())
                .buildClient();
        container = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        shared = new AzureBlobArtifactStore(camel, serviceClient, null, "testBlobServiceClient", container, true);
    }

    @AfterAll
    static void stopCamel() {
        if (shared != null) {
            shared.close();
        }
        if (camel != null) {
            camel.stop();
        }
    }

    @Override
    protected ArtifactStore createStore() {
        return shared;
    }

    @Test
    void theContainerIsCreatedWhenMissingAndReusedWhenPresent() {
        String fresh = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(serviceClient.getBlobContainerClient(fresh).exists()).isFalse();

        AzureBlobArtifactStore first = new AzureBlobArtifactStore(camel, serviceClient, null, "testBlobServiceClient", fresh, true);
        first.put("a/b.txt", new byte[] {1}, "text/plain");
        AzureBlobArtifactStore second = new AzureBlobArtifactStore(camel, serviceClient, null, "testBlobServiceClient", fresh, true);

        assertThat(serviceClient.getBlobContainerClient(fresh).exists()).isTrue();
        assertThat(second.list("a/")).containsExactly("a/b.txt");
        first.close();
        second.close();
    }

    @Test
    void withoutContainerCreationAMissingContainerIsAnError() {
        AzureBlobArtifactStore noCreate = new AzureBlobArtifactStore(camel, serviceClient, null, "testBlobServiceClient",
                "absent-" + UUID.randomUUID().toString().substring(0, 8), false);

        assertThatThrownBy(() -> noCreate.put("a/b.txt", new byte[] {1}, "text/plain"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("404");
        noCreate.close();
    }

    @Test
    void keysAreBlobNamesAndSha256AndContentTypeAreRecordedOnTheBlob() {
        String key = base + "acme/2025/01/31/sub-1/02-ubl.xml";
        byte[] content = "<Invoice/>".getBytes(StandardCharsets.UTF_8);

        StoredArtifact stored = store.put(key, content, "application/xml");

        BlobProperties properties = serviceClient.getBlobContainerClient(container).getBlobClient(key).getProperties();
        assertThat(properties.getMetadata()).containsEntry(AzureBlobArtifactStore.SHA256_METADATA, stored.sha256());
        assertThat(properties.getContentType()).isEqualTo("application/xml");
        assertThat(properties.getBlobSize()).isEqualTo(content.length);
        assertThat(store.backendName()).isEqualTo("azure-blob");
    }

    @Test
    void sasTokenConfigurationWorksAndNeverShowsTheToken() {
        String sas = serviceClient.generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("rwdlac"), new AccountSasService().setBlobAccess(true),
                new AccountSasResourceType().setService(true).setContainer(true).setObject(true)));
        String signature = signatureOf(sas);
        StorageProperties properties = new StorageProperties(StorageProperties.TYPE_AZURE_BLOB,
                new StorageProperties.Local("./data/storage"),
                new StorageProperties.Azure("sas-" + UUID.randomUUID().toString().substring(0, 8), null,
                        AzuriteExtension.ACCOUNT, AzuriteExtension.azurite().blobEndpoint(), "?" + sas, true));

        BlobServiceClient sasClient = AzureBlobClients.fromProperties(properties.azure());
        AzureBlobArtifactStore sasStore = new AzureBlobArtifactStore(camel, sasClient, properties.azure().accountName(),
                "sasBlobServiceClient", properties.azure().container(), true);
        StoredArtifact stored = sasStore.put("acme/x.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");

        assertThat(sasStore.get("acme/x.json")).hasValueSatisfying(b -> assertThat(b).isEqualTo("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(stored.sha256()).isEqualTo(sha256("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(properties.toString()).doesNotContain(sas).doesNotContain(signature).contains("sasToken=****");
        assertThat(properties.azure().toString()).doesNotContain(signature);
        assertThat(sasStore.toString()).doesNotContain(signature);
        sasStore.close();
    }

    @Test
    void aRejectedSasTokenDoesNotAppearInTheError() {
        String forged = "sv=2021-08-06&ss=b&srt=sco&sp=rwdlac&se=2099-01-01T00:00:00Z&spr=https,http"
                + "&sig=Zm9yZ2VkLXNpZ25hdHVyZS1mb3ItdGVzdHMtb25seQ%3D%3D";
        StorageProperties.Azure azure = new StorageProperties.Azure("forged", null, AzuriteExtension.ACCOUNT,
                AzuriteExtension.azurite().blobEndpoint(), forged, true);
        AzureBlobArtifactStore forgedStore = new AzureBlobArtifactStore(camel, AzureBlobClients.fromProperties(azure),
                azure.accountName(), "forgedBlobServiceClient", azure.container(), true);

        assertThatThrownBy(() -> forgedStore.put("a/b.txt", new byte[] {1}, "text/plain"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("HTTP 403")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Zm9yZ2Vk").doesNotContain("sig="));
        forgedStore.close();
    }

    @Test
    void incompleteSasConfigurationNamesTheSettingsNotTheToken() {
        StorageProperties.Azure noEndpoint = new StorageProperties.Azure("c", null, "acct", null, "sig=topsecret", true);

        assertThatThrownBy(() -> AzureBlobClients.fromProperties(noEndpoint))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hub.storage.azure.endpoint")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
        assertThat(noEndpoint.toString()).doesNotContain("topsecret");
    }

    private static String signatureOf(String sas) {
        for (String part : sas.split("&")) {
            if (part.startsWith("sig=")) {
                return part.substring(4);
            }
        }
        throw new IllegalStateException("no signature in the generated SAS");
    }
}
