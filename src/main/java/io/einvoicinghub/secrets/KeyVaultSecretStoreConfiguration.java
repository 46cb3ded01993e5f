package io.einvoicinghub.secrets;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@code hub.secrets.backend=azure-key-vault}: the {@link AzureKeyVaultSecretStore} with its Azure SDK credential
 * and HTTP client. An auto-configuration (listed in {@code META-INF/spring/…AutoConfiguration.imports}) so that it
 * comes after the application's and the tests' own configuration: a bean named {@value SecretsConfiguration#CREDENTIAL_BEAN}
 * (any {@link TokenCredential}) or {@value SecretsConfiguration#HTTP_CLIENT_BEAN} (e.g. behind a proxy, or trusting
 * a test server's certificate) replaces the default.
 */
@AutoConfiguration
@EnableConfigurationProperties(SecretsProperties.class)
@ConditionalOnProperty(prefix = "hub.secrets", name = "backend", havingValue = SecretsProperties.AZURE_KEY_VAULT)
public class KeyVaultSecretStoreConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultSecretStoreConfiguration.class);

    /** The SDK's default HTTP client (Netty), trusting the JVM's certificate authorities. */
    @Bean(SecretsConfiguration.HTTP_CLIENT_BEAN)
    @ConditionalOnMissingBean(name = SecretsConfiguration.HTTP_CLIENT_BEAN)
    public HttpClient hubKeyVaultHttpClient() {
        return HttpClient.createDefault();
    }

    /** Client secret credential when {@code hub.secrets.azure.client-id} is set, else {@code DefaultAzureCredential}. */
    @Bean(SecretsConfiguration.CREDENTIAL_BEAN)
    @ConditionalOnMissingBean(name = SecretsConfiguration.CREDENTIAL_BEAN)
    public TokenCredential hubKeyVaultCredential(SecretsProperties properties,
                                                 @Qualifier(SecretsConfiguration.HTTP_CLIENT_BEAN) HttpClient httpClient) {
        return SecretsConfiguration.credential(properties.azure(), System.getenv(), httpClient);
    }

    @Bean
    @ConditionalOnMissingBean(SecretStore.class)
    public SecretStore azureKeyVaultSecretStore(SecretsProperties properties,
                                                @Qualifier(SecretsConfiguration.CREDENTIAL_BEAN) TokenCredential credential,
                                                @Qualifier(SecretsConfiguration.HTTP_CLIENT_BEAN) HttpClient httpClient) {
        AzureKeyVaultSecretStore store = SecretsConfiguration.keyVaultStore(properties, credential, httpClient);
        LOG.info("Secret store: {} (values cached for {})", store.describe(), properties.cacheTime());
        return store;
    }
}
