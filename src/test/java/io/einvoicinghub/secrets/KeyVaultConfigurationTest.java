package io.einvoicinghub.secrets;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.DefaultAzureCredential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code hub.secrets.backend=azure-key-vault} as configured: what starts, what stops the start and with which message. */
class KeyVaultConfigurationTest {

    static final String TENANT = UUID.randomUUID().toString();
    static final String CLIENT_ID = UUID.randomUUID().toString();
    static final String CLIENT_SECRET = "cfg-client-secret-" + UUID.randomUUID();
    static final KeyVaultTestServer VAULT = new KeyVaultTestServer(TENANT, CLIENT_ID, CLIENT_SECRET);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KeyVaultSecretStoreConfiguration.class))
            .withUserConfiguration(SecretsConfiguration.class)
            .withPropertyValues("hub.secrets.backend=azure-key-vault");

    @AfterAll
    static void stop() {
        VAULT.close();
    }

    @Test
    void withoutAVaultUrlTheHubDoesNotStartAndSaysWhichSettingIsMissing() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("hub.secrets.azure.vault-url").hasMessageContaining("HUB_SECRETS_AZURE_VAULTURL");
        });
        runner.withPropertyValues("hub.secrets.azure.vault-url=http://plain.example").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must be an https URL"));
    }

    @Test
    void aClientIdWithoutAClientSecretStopsTheStartNamingBothWaysToGiveIt() {
        runner.withPropertyValues("hub.secrets.azure.vault-url=https://my-vault.vault.azure.net",
                "hub.secrets.azure.tenant-id=" + TENANT, "hub.secrets.azure.client-id=" + CLIENT_ID).run(context -> {
            // unless the environment running this test has one
            if (System.getenv("AZURE_CLIENT_SECRET") == null) {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("hub.secrets.azure.client-secret").hasMessageContaining("AZURE_CLIENT_SECRET");
            }
        });
    }

    @Test
    void theLocalBackendStaysTheDefaultAndTheKeyVaultBeansAreNotMade() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KeyVaultSecretStoreConfiguration.class))
                .withUserConfiguration(SecretsConfiguration.class)
                .withPropertyValues("hub.secrets.local.dir=" + System.getProperty("java.io.tmpdir") + "/kv-cfg-" + UUID.randomUUID())
                .run(context -> {
                    assertThat(context).hasSingleBean(SecretStore.class);
                    assertThat(context.getBean(SecretStore.class)).isInstanceOf(LocalSecretStore.class);
                    assertThat(context).doesNotHaveBean(SecretsConfiguration.CREDENTIAL_BEAN);
                });
    }

    @Test
    void aConfiguredVaultGivesTheKeyVaultStoreAndItsCredentialAndClientBeans() {
        runner.withPropertyValues("hub.secrets.azure.vault-url=https://my-vault.vault.azure.net",
                "hub.secrets.azure.tenant-id=" + TENANT, "hub.secrets.azure.client-id=" + CLIENT_ID,
                "hub.secrets.azure.client-secret=" + CLIENT_SECRET).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SecretStore.class).describe()).isEqualTo("Azure Key Vault https://my-vault.vault.azure.net");
            assertThat(context.getBean(SecretsConfiguration.CREDENTIAL_BEAN)).isInstanceOf(ClientSecretCredential.class);
            assertThat(context.getBean(SecretsConfiguration.HTTP_CLIENT_BEAN)).isInstanceOf(com.azure.core.http.HttpClient.class);
            assertThat(context.getBean(SecretsProperties.class).toString()).doesNotContain(CLIENT_SECRET);
        });
        runner.withPropertyValues("hub.secrets.azure.vault-url=https://my-vault.vault.azure.net").run(context ->
                assertThat(context.getBean(SecretsConfiguration.CREDENTIAL_BEAN)).as("no client id: managed identity and the rest")
                        .isInstanceOf(DefaultAzureCredential.class));
    }

    @Test
    void theEnvironmentVariablesTheDocsNameBindToTheProperties() {
        Map<String, Object> environment = Map.of("HUB_SECRETS_BACKEND", "azure-key-vault",
                "HUB_SECRETS_AZURE_VAULTURL", "https://v.vault.azure.net", "HUB_SECRETS_AZURE_TENANTID", "t",
                "HUB_SECRETS_AZURE_CLIENTID", "c", "HUB_SECRETS_AZURE_CLIENTSECRET", "s", "HUB_SECRETS_CACHETIME", "PT30S",
                "HUB_STORAGE_AZURE_SASTOKENSECRET", "storage-sas-token");
        var binder = new org.springframework.boot.context.properties.bind.Binder(
                org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(
                        new org.springframework.core.env.SystemEnvironmentPropertySource(
                                org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)));
        SecretsProperties secrets = binder.bind("hub.secrets", SecretsProperties.class).get();
        assertThat(secrets.backend()).isEqualTo("azure-key-vault");
        assertThat(secrets.azure().vaultUrl()).isEqualTo("https://v.vault.azure.net");
        assertThat(secrets.azure().tenantId()).isEqualTo("t");
        assertThat(secrets.azure().clientId()).isEqualTo("c");
        assertThat(secrets.azure().clientSecret()).isEqualTo("s");
        assertThat(secrets.cacheTime()).isEqualTo(Duration.ofSeconds(30));
        var storage = binder.bind("hub.storage", io.einvoicinghub.storage.StorageProperties.class).get();
        assertThat(storage.azure().sasTokenSecret()).isEqualTo("storage-sas-token");
        assertThat(storage.azure().createContainer()).isTrue();
    }

    @Test
    void theClientSecretMayComeFromTheEnvironmentAsAzureClientSecret() {
        SecretsProperties.Azure azure = new SecretsProperties.Azure(VAULT.baseUrl(), TENANT, CLIENT_ID, null, VAULT.baseUrl(), true, 0);
        var http = TrustingHttpClient.trusting(VAULT.certificate());
        TokenCredential credential = SecretsConfiguration.credential(azure, Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET), http);

        var token = credential.getTokenSync(new TokenRequestContext().addScopes(KeyVaultTestServer.RESOURCE + "/.default"));
        assertThat(VAULT.issuedTokens()).contains(token.getToken());
        assertThatThrownBy(() -> SecretsConfiguration.credential(azure, Map.of(), http))
                .hasMessageContaining("AZURE_CLIENT_SECRET");
        var store = SecretsConfiguration.keyVaultStore(new SecretsProperties(SecretsProperties.AZURE_KEY_VAULT,
                new SecretsProperties.Local("unused"), azure, Duration.ofMinutes(1)), credential, http);
        VAULT.setSecret("from-env-credential", "value-read");
        assertThat(store.get("from-env-credential").value()).isEqualTo("value-read");
    }
}
