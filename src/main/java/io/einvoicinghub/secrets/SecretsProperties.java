package io.einvoicinghub.secrets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code hub.secrets.*}: the secret store backend.
 *
 * <pre>
 * hub.secrets.backend=local | azure-key-vault      (default local)
 * hub.secrets.local.dir=./data/secrets
 * hub.secrets.azure.vault-url=https://my-vault.vault.azure.net
 * hub.secrets.azure.tenant-id / client-id           (client secret from AZURE_CLIENT_SECRET, or managed identity)
 * hub.secrets.cache-time=PT5M                        (a rotated value is used at the latest after this)
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

    /** @param disableChallengeResourceVerification for private endpoints whose host is not *.vault.azure.net */
    public record Azure(String vaultUrl, String tenantId, String clientId,
                        @DefaultValue("false") boolean disableChallengeResourceVerification) {
    }
}
