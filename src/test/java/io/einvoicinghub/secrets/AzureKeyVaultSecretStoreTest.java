package io.einvoicinghub.secrets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Key Vault secret store through the real Azure SDK ({@code SecretClient}, {@code ClientSecretCredential}, the
 * SDK's Netty HTTP client) over TLS against {@link KeyVaultTestServer}: bearer challenge, token request, secret
 * reads by name and version, rotation after the cache time, 404, server errors, certificates as PKCS#12 secrets.
 */
class AzureKeyVaultSecretStoreTest {

    static final String TENANT = UUID.randomUUID().toString();
    static final String CLIENT_ID = UUID.randomUUID().toString();
    static final String CLIENT_SECRET = "client-secret-" + UUID.randomUUID();
    static final KeyVaultTestServer VAULT = new KeyVaultTestServer(TENANT, CLIENT_ID, CLIENT_SECRET);

    @AfterAll
    static void stop() {
        VAULT.close();
    }

    static AzureKeyVaultSecretStore store(Duration cacheTime) {
        return store(cacheTime, CLIENT_SECRET, 3);
    }

    static AzureKeyVaultSecretStore store(Duration cacheTime, String clientSecret, int maxRetries) {
        return store(VAULT, cacheTime, clientSecret, maxRetries);
    }

    static AzureKeyVaultSecretStore store(KeyVaultTestServer vault, Duration cacheTime, String clientSecret, int maxRetries) {
        SecretsProperties properties = new SecretsProperties(SecretsProperties.AZURE_KEY_VAULT,
                new SecretsProperties.Local("unused"),
                new SecretsProperties.Azure(vault.baseUrl(), TENANT, CLIENT_ID, clientSecret, vault.baseUrl(), true, maxRetries),
                cacheTime);
        var http = TrustingHttpClient.trusting(vault.certificate());
        return SecretsConfiguration.keyVaultStore(properties,
                SecretsConfiguration.credential(properties.azure(), Map.of(), http), http);
    }

    @Test
    void readsTheCurrentSecretAfterTheBearerChallengeWithATokenFromTheAuthority() {
        // a vault of its own: the SDK keeps the challenge per vault host and port for the JVM's lifetime
        try (KeyVaultTestServer vault = new KeyVaultTestServer(TENANT, CLIENT_ID, CLIENT_SECRET)) {
            String value = "v-" + UUID.randomUUID();
            String version = vault.setSecret("erp-api-key", value);

            SecretStore.Secret secret = store(vault, Duration.ofMinutes(5), CLIENT_SECRET, 3).get("erp-api-key");

            assertThat(secret.value()).isEqualTo(value);
            assertThat(secret.version()).isEqualTo(version);
            assertThat(secret.toString()).doesNotContain(value);
            assertThat(vault.challenges()).as("the SDK first asks without a token and gets the challenge").isEqualTo(1);
            assertThat(vault.tokenRequests()).isEqualTo(1);
            assertThat(vault.requests()).containsExactly("GET /secrets/erp-api-key/", "POST /" + TENANT + "/oauth2/v2.0/token",
                    "GET /secrets/erp-api-key/");
        }
    }

    @Test
    void nameWithAVersionReadsThatVersionAndTheNameAloneTheNewest() {
        String first = VAULT.setSecret("versioned", "first-value");
        String second = VAULT.setSecret("versioned", "second-value");
        AzureKeyVaultSecretStore store = store(Duration.ofMinutes(5));

        assertThat(store.get("versioned/" + first).value()).isEqualTo("first-value");
        assertThat(store.get("versioned/" + first).version()).isEqualTo(first);
        assertThat(store.get("versioned").value()).isEqualTo("second-value");
        assertThat(store.get("versioned").version()).isEqualTo(second);
        assertThat(store.find("versioned/00000000000000000000000000000000")).isEmpty();
    }

    @Test
    void namesMapToKeyVaultNamesDeterministically() {
        assertThat(AzureKeyVaultSecretStore.keyVaultName("ksef-token-PL01")).isEqualTo("ksef-token-PL01");
        assertThat(AzureKeyVaultSecretStore.keyVaultName("client-cert.password")).isEqualTo("client-cert-password");
        assertThat(AzureKeyVaultSecretStore.keyVaultName("storage_sas.token")).isEqualTo("storage-sas-token");
        assertThat(AzureKeyVaultSecretStore.keyVaultName("päss word")).isEqualTo("p-ss-word");
        assertThatThrownBy(() -> AzureKeyVaultSecretStore.keyVaultName("x".repeat(128)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127");

        VAULT.setSecret("mapped-name-PL-01", "mapped-value");
        assertThat(store(Duration.ofMinutes(5)).get("mapped_name.PL_01").value()).isEqualTo("mapped-value");
    }

    @Test
    void rotatedSecretIsUsedAfterTheCacheTimeWithoutARestart() throws InterruptedException {
        VAULT.setSecret("rotating", "before-rotation");
        AzureKeyVaultSecretStore store = store(Duration.ofSeconds(1));
        assertThat(store.get("rotating").value()).isEqualTo("before-rotation");
        int reads = VAULT.secretReads();

        String rotated = VAULT.setSecret("rotating", "after-rotation");
        assertThat(store.get("rotating").value()).as("within the cache time the cached value serves").isEqualTo("before-rotation");
        assertThat(VAULT.secretReads()).isEqualTo(reads);

        Instant deadline = Instant.now().plusSeconds(10);
        SecretStore.Secret seen = store.get("rotating");
        while (!seen.value().equals("after-rotation") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            seen = store.get("rotating");
        }
        assertThat(seen.value()).isEqualTo("after-rotation");
        assertThat(seen.version()).isEqualTo(rotated);
        assertThat(VAULT.secretReads()).isGreaterThan(reads);
    }

    @Test
    void missingSecretIsASecretNotFoundExceptionNamingTheSecretAndTheVault() {
        AzureKeyVaultSecretStore store = store(Duration.ofMinutes(5));

        assertThat(store.find("no-such-secret")).isEmpty();
        assertThat(store.exists("no-such-secret")).isFalse();
        assertThatThrownBy(() -> store.get("no.such_secret"))
                .isInstanceOf(SecretStore.SecretNotFoundException.class)
                .hasMessageContaining("'no.such_secret'")
                .hasMessageContaining("Azure Key Vault " + VAULT.baseUrl())
                .hasMessageContaining("'no-such-secret'");
        assertThat(store.describe()).isEqualTo("Azure Key Vault " + VAULT.baseUrl());
        assertThatThrownBy(() -> store.get("y".repeat(200))).isInstanceOf(SecretStore.SecretNotFoundException.class)
                .hasMessageContaining("127 characters");
    }

    @Test
    void serverErrorsAfterTheRetriesAreAClearExceptionWithoutTheValueAndAreNotCached() {
        String value = "value-" + UUID.randomUUID();
        VAULT.setSecret("flaky", value);
        AzureKeyVaultSecretStore store = store(Duration.ofMinutes(5), CLIENT_SECRET, 1);
        store.get("flaky"); // challenge and token done; the next read is answered with errors
        AzureKeyVaultSecretStore fresh = store(Duration.ofMinutes(5), CLIENT_SECRET, 1);
        fresh.exists("unrelated"); // warms the credential
        VAULT.failNext(503, 2);

        assertThatThrownBy(() -> fresh.get("flaky"))
                .isInstanceOf(SecretStore.SecretStoreUnavailableException.class)
                .hasMessageContaining("'flaky'").hasMessageContaining("HTTP 503")
                .hasMessageContaining(VAULT.baseUrl())
                .hasMessageNotContaining(value);
        assertThat(fresh.get("flaky").value()).as("an error is not cached").isEqualTo(value);
    }

    @Test
    void aWrongClientSecretIsAClearExceptionNeverShowingEitherSecret() {
        String wrong = "wrong-" + UUID.randomUUID();
        VAULT.setSecret("guarded", "guarded-value");
        // a vault of its own: the SDK caches the challenge per vault authority, and this credential must fail
        try (KeyVaultTestServer other = new KeyVaultTestServer(TENANT, CLIENT_ID, CLIENT_SECRET)) {
            other.setSecret("guarded", "guarded-value");
            AzureKeyVaultSecretStore store = store(other, Duration.ofMinutes(5), wrong, 0);
            assertThatThrownBy(() -> store.get("guarded"))
                    .isInstanceOf(SecretStore.SecretStoreUnavailableException.class)
                    .hasMessageContaining("'guarded'")
                    .hasMessageNotContaining(wrong).hasMessageNotContaining("guarded-value");
            assertThat(new SecretsProperties.Azure(other.baseUrl(), TENANT, CLIENT_ID, wrong, null, false, 3).toString())
                    .doesNotContain(wrong).contains("clientSecret=****");
        }
    }

    @Test
    void certificateStoredAsPkcs12SecretGivesAClientTlsContext(@TempDir Path dir) throws Exception {
        SelfSignedTls generated = SelfSignedTls.generate("hub-client");
        // Key Vault returns a certificate with its private key as a secret: base64 PKCS#12, content type application/x-pkcs12, no password
        KeyStore exported = KeyStore.getInstance("PKCS12");
        exported.load(null, null);
        exported.setKeyEntry("hub-client", generated.keyStore().getKey(generated.alias(), generated.password()), new char[0],
                new java.security.cert.Certificate[]{generated.certificate()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exported.store(out, new char[0]);
        String base64 = Base64.getEncoder().encodeToString(out.toByteArray());
        VAULT.setSecret("client-cert", base64, KeyVaultTestServer.PKCS12_CONTENT_TYPE);
        // and one the operator uploaded as a password-protected PKCS#12, its password beside it (hub name "<name>.password")
        VAULT.setSecret("protected-cert", Base64.getEncoder().encodeToString(generated.pkcs12()), KeyVaultTestServer.PKCS12_CONTENT_TYPE);
        VAULT.setSecret("protected-cert-password", new String(generated.password()));

        AzureKeyVaultSecretStore store = store(Duration.ofMinutes(5));
        KeyMaterials keys = new KeyMaterials(store, new SecretsProperties(SecretsProperties.AZURE_KEY_VAULT,
                new SecretsProperties.Local(dir.toString()), null, Duration.ofMinutes(5)));

        assertThat(keys.exists("client-cert")).isTrue();
        SSLContext context = keys.clientTlsContext("client-cert");
        assertThat(context.getProtocol()).isEqualTo("TLS");
        assertThat(keys.clientTlsContext("protected-cert")).isNotNull();
        KeyStore read = KeyStore.getInstance("PKCS12");
        read.load(new ByteArrayInputStream(Base64.getDecoder().decode(store.get("client-cert").value())), new char[0]);
        assertThat((X509Certificate) read.getCertificate("hub-client")).isEqualTo(generated.certificate());
        assertThatThrownBy(() -> keys.clientTlsContext("no-such-cert")).isInstanceOf(SecretStore.SecretNotFoundException.class)
                .hasMessageContaining("no-such-cert");
    }
}
