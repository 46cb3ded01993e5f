package io.einvoicinghub.secrets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code hub.secrets.*}: the secret store backend (docs/secrets.md).
 *
 * <pre>
 * hub.secrets.backend=local | azure-key-vault      (default local)
 * hub.secrets.cache-time=PT5M                        (Key Vault: a rotated value is used at the latest after this)
 * hub.secrets.local.dir=./data/secrets
 * hub.secrets.azure.vault-url=https://my-vault.vault.azure.net      (required for azure-key-vault)
 * hub.secrets.azure.tenant-id=...                    (Entra tenant of the app registration)
 * hub.secrets.azure.client-id=...                    (set: client secret credential; unset: DefaultAzureCredential,
 *                                                      e.g. managed identity or workload identity)
 * hub.secrets.azure.client-secret=...                (or environment AZURE_CLIENT_SECRET; never logged)
 * hub.secrets.azure.authority-host=https://login.microsoftonline.com/   (other clouds; the tests' token server)
 * hub.secrets.azure.disable-challenge-resource-verification=false       (vaults not under *.vault.azure.net)
 * hub.secrets.azure.max-retries=3                    (the SDK's retries of timeouts, 408, 429 and 5xx)
 * </pre>
 */
@ConfigurationProperties(prefix = "hub.secrets")
public record SecretsProperties(@DefaultValue("local") String backend, @DefaultValue Local local,
                                @DefaultValue Azure azure, @DefaultValue("PT5M") Duration cacheTime) {

    public static final String LOCAL = "local";
    public static final String AZURE_KEY_VAULT = "azure-key-vault";

    public SecretsProperties {
        if (!LOCAL.equals(backend) && !AZURE_KEY_VAULT.equals(backend)) {
            throw new IllegalArgumentException("hub.secrets.backend must be '" + LOCAL + "' or '" + AZURE_KEY_VAULT
                    + "', not '" + backend + "'");
        }
    }

    public record Local(@DefaultValue("./data/secrets") String dir) {
    }

    /**
     * @param clientSecret the app registration's secret; when unset, environment {@code AZURE_CLIENT_SECRET}
     * @param disableChallengeResourceVerification for private endpoints whose host is not *.vault.azure.net
     */
    public record Azure(String vaultUrl, String tenantId, String clientId, String clientSecret, String authorityHost,
                        @DefaultValue("false") boolean disableChallengeResourceVerification,
                        @DefaultValue("3") int maxRetries) {

        @Override
        public String toString() {
            return "Azure[vaultUrl=" + vaultUrl + ", tenantId=" + tenantId + ", clientId=" + clientId
                    + ", clientSecret=" + (clientSecret == null || clientSecret.isEmpty() ? "<unset>" : "****")
                    + ", authorityHost=" + authorityHost
                    + ", disableChallengeResourceVerification=" + disableChallengeResourceVerification
                    + ", maxRetries=" + maxRetries + "]";
        }
    }
}
