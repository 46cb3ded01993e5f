package io.einvoicinghub.storage;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/** Builds the {@link BlobServiceClient} of the Azure backend from {@link StorageProperties.Azure}. */
public final class AzureBlobClients {

    private AzureBlobClients() {
    }

    /**
     * Uses the connection string when set, otherwise account name + endpoint + SAS token. Error messages name the
     * missing setting or the account, never a secret value (the SDK's own messages are not passed on as text).
     */
    public static BlobServiceClient fromProperties(StorageProperties.Azure azure) {
        if (azure.hasConnectionString()) {
            try {
                return new BlobServiceClientBuilder().connectionString(azure.connectionString()).buildClient();
            } catch (RuntimeException e) {
                throw new IllegalStateException("hub.storage.azure.connection-string is not a valid storage connection string ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (isBlank(azure.accountName()) || isBlank(azure.endpoint()) || !azure.hasSasToken()) {
            throw new IllegalStateException("Azure blob storage needs hub.storage.azure.connection-string, or all of "
                    + "hub.storage.azure.account-name, hub.storage.azure.endpoint and hub.storage.azure.sas-token");
        }
        String sas = azure.sasToken().startsWith("?") ? azure.sasToken().substring(1) : azure.sasToken();
        try {
            return new BlobServiceClientBuilder()
                    .endpoint(azure.endpoint())
                    .sasToken(sas)
                    .buildClient();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot build the blob client for account " + azure.accountName()
                    + " and endpoint " + withoutQuery(azure.endpoint()) + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** An endpoint URL may carry a SAS token as its query: never show that part. */
    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?****";
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
