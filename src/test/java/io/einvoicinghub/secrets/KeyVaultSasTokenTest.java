package io.einvoicinghub.secrets;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.storage.StorageConfiguration;
import io.einvoicinghub.storage.StorageException;
import io.einvoicinghub.storage.StorageProperties;
import io.einvoicinghub.testsupport.AzuriteExtension;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure Blob storage with its SAS token from the secret store by name ({@code hub.storage.azure.sas-token-secret}),
 * the store being Azure Key Vault through the SDK against {@link KeyVaultTestServer}, the blobs in Azurite. A rotated
 * token is used without rebuilding the client: an expired one makes writes fail with 403, a fresh one makes them
 * work again.
 */
@ExtendWith(AzuriteExtension.class)
class KeyVaultSasTokenTest {

    static final String TENANT = UUID.randomUUID().toString();
    static final String CLIENT_ID = UUID.randomUUID().toString();
    static final String CLIENT_SECRET = "sas-client-secret-" + UUID.randomUUID();
    static final KeyVaultTestServer VAULT = new KeyVaultTestServer(TENANT, CLIENT_ID, CLIENT_SECRET);

    @AfterAll
    static void stop() {
        VAULT.close();
    }

    static SecretStore keyVault() {
        SecretsProperties properties = new SecretsProperties(SecretsProperties.AZURE_KEY_VAULT, new SecretsProperties.Local("unused"),
                new SecretsProperties.Azure(VAULT.baseUrl(), TENANT, CLIENT_ID, CLIENT_SECRET, VAULT.baseUrl(), true, 1),
                Duration.ofSeconds(1));
        var http = TrustingHttpClient.trusting(VAULT.certificate());
        return SecretsConfiguration.keyVaultStore(properties, SecretsConfiguration.credential(properties.azure(), Map.of(), http), http);
    }

    static String accountSas(OffsetDateTime expiry) {
        BlobServiceClient admin = new BlobServiceClientBuilder().connectionString(AzuriteExtension.azurite().connectionString()).buildClient();
        return admin.generateAccountSas(new AccountSasSignatureValues(expiry, AccountSasPermission.parse("rwdlac"),
                new AccountSasService().setBlobAccess(true),
                new AccountSasResourceType().setService(true).setContainer(true).setObject(true)));
    }

    private ApplicationContextRunner runner(SecretStore secrets, String container) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class))
                .withUserConfiguration(StorageConfiguration.class)
                .withBean(SecretStore.class, () -> secrets)
                .withPropertyValues("hub.storage.type=azure-blob",
                        "hub.storage.azure.container=" + container,
                        "hub.storage.azure.account-name=" + AzuriteExtension.ACCOUNT,
                        "hub.storage.azure.endpoint=" + AzuriteExtension.azurite().blobEndpoint(),
                        "hub.storage.azure.sas-token-secret=storage-sas-token");
    }

    @Test
    void blobStorageReadsItsSasTokenFromTheSecretStoreAndUsesARotatedOneWithoutARestart() {
        String first = accountSas(OffsetDateTime.now().plusHours(1));
        VAULT.setSecret("storage-sas-token", "?" + first);
        SecretStore secrets = keyVault();

        runner(secrets, "kv-sas-" + UUID.randomUUID().toString().substring(0, 8)).run(context -> {
            assertThat(context).hasNotFailed();
            ArtifactStore store = context.getBean(ArtifactStore.class);
            byte[] content = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
            store.put("acme/one.json", content, "application/json");
            assertThat(store.get("acme/one.json")).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
            assertThat(context.getBean(StorageProperties.class).toString()).doesNotContain(signatureOf(first))
                    .contains("sasTokenSecret=storage-sas-token");

            // the operator rotates the secret to a token that has expired: within the cache time, writes are refused
            String expired = accountSas(OffsetDateTime.now().minusHours(1));
            VAULT.setSecret("storage-sas-token", expired);
            StorageException refused = awaitRefusal(store);
            assertThat(refused.getMessage()).contains("403").doesNotContain(signatureOf(expired)).doesNotContain("sig=");

            // and then to a fresh one: the same client works again
            String fresh = accountSas(OffsetDateTime.now().plusHours(2));
            VAULT.setSecret("storage-sas-token", fresh);
            Instant deadline = Instant.now().plusSeconds(15);
            boolean written = false;
            while (!written && Instant.now().isBefore(deadline)) {
                try {
                    store.put("acme/three.json", content, "application/json");
                    written = true;
                } catch (StorageException e) {
                    Thread.sleep(200);
                }
            }
            assertThat(written).as("written with the rotated token").isTrue();
            assertThat(store.list("acme/")).contains("acme/one.json", "acme/three.json");
        });
    }

    @Test
    void aSasTokenSecretTheStoreDoesNotHaveStopsTheStartWithItsName() {
        runner(keyVault(), "kv-sas-missing").withPropertyValues("hub.storage.azure.sas-token-secret=no-such-sas-token").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("hub.storage.azure.sas-token-secret names 'no-such-sas-token'")
                    .hasMessageContaining("Azure Key Vault " + VAULT.baseUrl());
        });
    }

    private static StorageException awaitRefusal(ArtifactStore store) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            try {
                store.put("acme/two.json", new byte[] {2}, "application/octet-stream");
            } catch (StorageException e) {
                return e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("an expired SAS token from the rotated secret was never used");
    }

    private static String signatureOf(String sas) {
        for (String part : sas.replace("?", "").split("&")) {
            if (part.startsWith("sig=")) {
                return part.substring(4);
            }
        }
        throw new IllegalArgumentException("no signature");
    }
}
