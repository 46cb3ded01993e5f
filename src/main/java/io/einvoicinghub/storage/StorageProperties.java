package io.einvoicinghub.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.storage.*}: which {@link ArtifactStore} backend the hub uses and how to reach it.
 *
 * <pre>
 * hub.storage.type=local | azure-blob          (default local)
 * hub.storage.local.root=./data/storage
 * hub.storage.azure.container=einvoicing
 * hub.storage.azure.connection-string=...      (either this,
 * hub.storage.azure.account-name=...            or account name + endpoint + SAS token)
 * hub.storage.azure.endpoint=https://...
 * hub.storage.azure.sas-token-secret=<name>     (the SAS token from the secret store by name: the production way;
 *                                                re-read within hub.secrets.cache-time, so a rotated token is used)
 * hub.storage.azure.sas-token=...               (the token itself: kept for existing setups)
 * hub.storage.azure.create-container=true
 * </pre>
 *
 * The connection string (it carries the account key) and the SAS token are secrets: {@link #toString()} masks them.
 */
@ConfigurationProperties(prefix = "hub.storage")
public record StorageProperties(
        @DefaultValue(TYPE_LOCAL) String type,
        @DefaultValue Local local,
        @DefaultValue Azure azure) {

    public static final String TYPE_LOCAL = "local";
    public static final String TYPE_AZURE_BLOB = "azure-blob";

    public StorageProperties {
        if (!TYPE_LOCAL.equals(type) && !TYPE_AZURE_BLOB.equals(type)) {
            throw new IllegalArgumentException("hub.storage.type must be '" + TYPE_LOCAL + "' or '" + TYPE_AZURE_BLOB
                    + "', not '" + type + "'");
        }
    }

    public record Local(@DefaultValue("./data/storage") String root) {
    }

    /** @param sasTokenSecret name of the secret store entry holding the SAS token (preferred to {@code sasToken}) */
    public record Azure(
            @DefaultValue("einvoicing") String container,
            String connectionString,
            String accountName,
            String endpoint,
            String sasToken,
            String sasTokenSecret,
            @DefaultValue("true") boolean createContainer) {

        @ConstructorBinding
        public Azure {
        }

        public Azure(String container, String connectionString, String accountName, String endpoint, String sasToken,
                     boolean createContainer) {
            this(container, connectionString, accountName, endpoint, sasToken, null, createContainer);
        }

        public boolean hasSasTokenSecret() {
            return sasTokenSecret != null && !sasTokenSecret.isBlank();
        }

        public boolean hasConnectionString() {
            return connectionString != null && !connectionString.isBlank();
        }

        public boolean hasSasToken() {
            return sasToken != null && !sasToken.isBlank();
        }

        @Override
        public String toString() {
            return "Azure[container=" + container
                    + ", connectionString=" + mask(connectionString)
                    + ", accountName=" + accountName
                    + ", endpoint=" + endpoint
                    + ", sasToken=" + mask(sasToken)
                    + ", sasTokenSecret=" + sasTokenSecret
                    + ", createContainer=" + createContainer + "]";
        }

        private static String mask(String secret) {
            return secret == null || secret.isEmpty() ? "<unset>" : "****";
        }
    }
}
