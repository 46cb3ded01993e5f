package io.einvoicinghub.secrets;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Creates the hub's {@link SecretStore} from {@code hub.secrets.backend}: {@code local} (default) here,
 * {@code azure-key-vault} in {@link KeyVaultSecretStoreConfiguration} (an auto-configuration, so that its
 * credential ({@value #CREDENTIAL_BEAN}) and HTTP client ({@value #HTTP_CLIENT_BEAN}) beans give way to a
 * deployment's or a test's own beans of those names).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsProperties.class)
public class SecretsConfiguration {

    public static final String CREDENTIAL_BEAN = "hubKeyVaultCredential";
    public static final String HTTP_CLIENT_BEAN = "hubKeyVaultHttpClient";

    @Bean
    @ConditionalOnMissingBean(SecretStore.class)
    @ConditionalOnProperty(prefix = "hub.secrets", name = "backend", havingValue = SecretsProperties.LOCAL, matchIfMissing = true)
    public SecretStore localSecretStore(SecretsProperties properties) {
        return new LocalSecretStore(Path.of(properties.local().dir()), System.getenv());
    }

    /** The Key Vault store on the SDK's {@link SecretClient}: the vault URL checked, the configured retries. */
    static AzureKeyVaultSecretStore keyVaultStore(SecretsProperties properties, TokenCredential credential, HttpClient httpClient) {
        SecretsProperties.Azure azure = properties.azure();
        String vaultUrl = vaultUrl(azure);
        SecretClientBuilder builder = new SecretClientBuilder()
                .vaultUrl(vaultUrl)
                .credential(credential)
                .httpClient(httpClient)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions()
                        .setMaxRetries(azure.maxRetries())
                        .setBaseDelay(Duration.ofMillis(500))
                        .setMaxDelay(Duration.ofSeconds(8))));
        if (azure.disableChallengeResourceVerification()) {
            builder.disableChallengeResourceVerification();
        }
        SecretClient client = builder.buildClient();
        return new AzureKeyVaultSecretStore(client, vaultUrl, properties.cacheTime());
    }

    /** {@code hub.secrets.azure.vault-url}, checked: the hub does not start on Key Vault without it. */
    static String vaultUrl(SecretsProperties.Azure azure) {
        String url = azure.vaultUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("hub.secrets.backend=azure-key-vault needs hub.secrets.azure.vault-url "
                    + "(environment HUB_SECRETS_AZURE_VAULTURL), e.g. https://my-vault.vault.azure.net");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("hub.secrets.azure.vault-url is not a URL: " + url);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalStateException("hub.secrets.azure.vault-url must be an https URL such as "
                    + "https://my-vault.vault.azure.net, not " + url);
        }
        return url.trim();
    }

    /**
     * A client secret credential when {@code client-id} is set (secret from {@code client-secret} or environment
     * {@code AZURE_CLIENT_SECRET}), otherwise {@code DefaultAzureCredential} (managed identity, workload identity,
     * environment, Azure CLI …).
     */
    static TokenCredential credential(SecretsProperties.Azure azure, Map<String, String> environment, HttpClient httpClient) {
        boolean customAuthority = azure.authorityHost() != null && !azure.authorityHost().isBlank();
        if (azure.clientId() != null && !azure.clientId().isBlank()) {
            String secret = azure.clientSecret() != null && !azure.clientSecret().isBlank()
                    ? azure.clientSecret() : environment.get("AZURE_CLIENT_SECRET");
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("hub.secrets.azure.client-id is set but no client secret is: set "
                        + "hub.secrets.azure.client-secret or the environment variable AZURE_CLIENT_SECRET, or remove "
                        + "client-id to use DefaultAzureCredential (managed identity)");
            }
            if (azure.tenantId() == null || azure.tenantId().isBlank()) {
                throw new IllegalStateException("hub.secrets.azure.client-id needs hub.secrets.azure.tenant-id");
            }
            ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                    .tenantId(azure.tenantId())
                    .clientId(azure.clientId())
                    .clientSecret(secret)
                    .httpClient(httpClient);
            if (customAuthority) {
                builder.authorityHost(azure.authorityHost()).disableInstanceDiscovery();
            }
            return builder.build();
        }
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder().httpClient(httpClient);
        if (azure.tenantId() != null && !azure.tenantId().isBlank()) {
            builder.tenantId(azure.tenantId());
        }
        if (customAuthority) {
            builder.authorityHost(azure.authorityHost()).disableInstanceDiscovery();
        }
        return builder.build();
    }
}
