package io.einvoicinghub.secrets;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A {@link KeyVaultTestServer} with its own tenant and client credentials, and the hub's Key Vault secret store on
 * the real Azure SDK pointed at it (TLS trusting only the server's certificate), for tests outside this package.
 */
public final class TestKeyVault implements AutoCloseable {

    private final String tenant = UUID.randomUUID().toString();
    private final String clientId = UUID.randomUUID().toString();
    private final String clientSecret = "client-secret-" + UUID.randomUUID();
    private final KeyVaultTestServer server = new KeyVaultTestServer(tenant, clientId, clientSecret);

    public KeyVaultTestServer server() {
        return server;
    }

    /** The hub's Key Vault store as {@code SecretsConfiguration} builds it (challenge, token, retries, cache). */
    public AzureKeyVaultSecretStore secretStore(Duration cacheTime) {
        SecretsProperties properties = properties(cacheTime, "unused");
        var http = TrustingHttpClient.trusting(server.certificate());
        return SecretsConfiguration.keyVaultStore(properties, SecretsConfiguration.credential(properties.azure(), Map.of(), http), http);
    }

    /** Secrets properties for backend azure-key-vault, with {@code localDir} as the (empty) local secrets folder. */
    public SecretsProperties properties(Duration cacheTime, String localDir) {
        return new SecretsProperties(SecretsProperties.AZURE_KEY_VAULT, new SecretsProperties.Local(localDir),
                new SecretsProperties.Azure(server.baseUrl(), tenant, clientId, clientSecret, server.baseUrl(), true, 3), cacheTime);
    }

    @Override
    public void close() {
        server.close();
    }
}
