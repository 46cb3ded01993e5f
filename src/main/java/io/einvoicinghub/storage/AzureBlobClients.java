package io.einvoicinghub.storage;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.einvoicinghub.secrets.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/** Builds the {@link BlobServiceClient} of the Azure backend from {@link StorageProperties.Azure}. */
public final class AzureBlobClients {

    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobClients.class);

    private AzureBlobClients() {
    }

    /** As {@link #fromProperties(StorageProperties.Azure, SecretStore)} without a secret store (no {@code sas-token-secret}). */
    public static BlobServiceClient fromProperties(StorageProperties.Azure azure) {
        return fromProperties(azure, null);
    }

    /**
     * Uses the connection string when set, otherwise account name + endpoint + the SAS token: from the secret store
     * entry {@code sas-token-secret} (read again before each request through the store's cache, so a rotated token
     * is used without a restart) or the plain {@code sas-token}. Error messages name the missing setting, the
     * account or the secret, never a secret value (the SDK's own messages are not passed on as text).
     */
    public static BlobServiceClient fromProperties(StorageProperties.Azure azure, SecretStore secrets) {
        if (azure.hasSasTokenSecret() && !azure.hasConnectionString()) {
            return fromSecretStore(azure, secrets);
        }
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
                    + "hub.storage.azure.account-name, hub.storage.azure.endpoint and hub.storage.azure.sas-token-secret "
                    + "(or hub.storage.azure.sas-token)");
        }
        String sas = withoutQuestionMark(azure.sasToken());
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

    private static BlobServiceClient fromSecretStore(StorageProperties.Azure azure, SecretStore secrets) {
        String name = azure.sasTokenSecret();
        if (isBlank(azure.accountName()) || isBlank(azure.endpoint())) {
            throw new IllegalStateException("hub.storage.azure.sas-token-secret needs hub.storage.azure.account-name "
                    + "and hub.storage.azure.endpoint");
        }
        if (secrets == null) {
            throw new IllegalStateException("hub.storage.azure.sas-token-secret is set but the hub has no secret store");
        }
        AzureSasCredential credential;
        try {
            credential = new AzureSasCredential(withoutQuestionMark(secrets.get(name).value()));
        } catch (SecretStore.SecretNotFoundException | SecretStore.SecretStoreUnavailableException e) {
            throw new IllegalStateException("hub.storage.azure.sas-token-secret names '" + name
                    + "', which cannot be read: " + e.getMessage());
        }
        try {
            return new BlobServiceClientBuilder()
                    .endpoint(azure.endpoint())
                    .credential(credential)
                    .addPolicy(new SasTokenRefresh(secrets, name, credential))
                    .buildClient();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot build the blob client for account " + azure.accountName()
                    + " and endpoint " + withoutQuery(azure.endpoint()) + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Before each call (not each retry), the SAS token from the secret store (its cache keeps this cheap) goes into
     * the credential that the SDK's SAS policy signs with. When the store cannot answer, the last token stays.
     */
    static final class SasTokenRefresh implements HttpPipelinePolicy {
        private final SecretStore secrets;
        private final String name;
        private final AzureSasCredential credential;

        SasTokenRefresh(SecretStore secrets, String name, AzureSasCredential credential) {
            this.secrets = secrets;
            this.name = name;
            this.credential = credential;
        }

        private void refresh() {
            try {
                String current = withoutQuestionMark(secrets.get(name).value());
                if (!current.equals(credential.getSignature())) {
                    credential.update(current);
                    LOG.info("Azure blob storage: SAS token from secret '{}' changed; using the new one", name);
                }
            } catch (RuntimeException e) {
                LOG.warn("Azure blob storage: SAS token secret '{}' could not be read again ({}); keeping the last one",
                        name, e.getMessage());
            }
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return Mono.defer(() -> {
                refresh();
                return next.process();
            });
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            refresh();
            return next.processSync();
        }

        @Override
        public HttpPipelinePosition getPipelinePosition() {
            return HttpPipelinePosition.PER_CALL;
        }
    }

    private static String withoutQuestionMark(String sas) {
        String trimmed = sas.trim();
        return trimmed.startsWith("?") ? trimmed.substring(1) : trimmed;
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
