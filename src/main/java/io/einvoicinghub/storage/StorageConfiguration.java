package io.einvoicinghub.storage;

import com.azure.storage.blob.BlobServiceClient;
import io.einvoicinghub.secrets.SecretStore;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * Creates the hub's single {@link ArtifactStore} from {@code hub.storage.type}: {@code local} (default) or
 * {@code azure-blob}. {@link EnableConfigurationProperties} makes this class usable on its own (slice tests);
 * in the application {@code @ConfigurationPropertiesScan} registers the same properties bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfiguration {

    /** Registry name of the blob client that the Camel endpoints reference with {@code serviceClient=#...}. */
    public static final String BLOB_SERVICE_CLIENT_BEAN = "hubStorageBlobServiceClient";

    @Bean
    @ConditionalOnProperty(prefix = "hub.storage", name = "type", havingValue = StorageProperties.TYPE_LOCAL, matchIfMissing = true)
    public ArtifactStore localFolderArtifactStore(StorageProperties properties) {
        return new LocalFolderArtifactStore(Path.of(properties.local().root()));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "hub.storage", name = "type", havingValue = StorageProperties.TYPE_AZURE_BLOB)
    static class AzureBlob {

        @Bean(BLOB_SERVICE_CLIENT_BEAN)
        public BlobServiceClient hubStorageBlobServiceClient(StorageProperties properties, ObjectProvider<SecretStore> secrets) {
            // the SAS token by name from the secret store (hub.storage.azure.sas-token-secret) when configured
            return AzureBlobClients.fromProperties(properties.azure(),
                    properties.azure().hasSasTokenSecret() ? secrets.getIfAvailable() : null);
        }

        @Bean
        public ArtifactStore azureBlobArtifactStore(CamelContext camelContext, StorageProperties properties,
                                                    @Qualifier(BLOB_SERVICE_CLIENT_BEAN) BlobServiceClient client) {
            StorageProperties.Azure azure = properties.azure();
            return new AzureBlobArtifactStore(camelContext, client, azure.accountName(), BLOB_SERVICE_CLIENT_BEAN,
                    azure.container(), azure.createContainer());
        }
    }
}
