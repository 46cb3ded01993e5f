package io.einvoicinghub.storage;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.azure.storage.blob.BlobConstants;
import org.apache.camel.component.azure.storage.blob.BlobOperationsDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps artifacts as block blobs of one container, through Camel's {@code azure-storage-blob} component: the key is
 * the blob name unchanged, so the container shows the same "folder" layout as the local backend.
 *
 * <p>Every call goes through a {@link ProducerTemplate} to an {@code azure-storage-blob://account/container}
 * endpoint whose {@code serviceClient} option names a {@link BlobServiceClient} in the Camel registry (bound there
 * by this class when absent). Credentials live only inside that client, never in an endpoint URI, so they do not
 * show in Camel's logs or JMX. The SHA-256 of each artifact is also stored as blob metadata {@value #SHA256_METADATA}.
 */
public class AzureBlobArtifactStore implements ArtifactStore {

    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobArtifactStore.class);
    /** Blob metadata entry holding the lower-case hex SHA-256 of the content. */
    public static final String SHA256_METADATA = "sha256";

    private final ProducerTemplate template;
    private final String container;
    private final String endpointBase;
    private volatile boolean containerChecked;

    /**
     * @param camelContext          a started (or starting) Camel context
     * @param serviceClient         the client holding account, endpoint and credentials
     * @param accountName           account name for the endpoint URI; null to take the client's
     * @param serviceClientBeanName registry name under which the endpoints look the client up; bound when absent
     * @param container             the container name
     * @param createContainer       create the container when it does not exist yet; done once, on first use, so
     *                              that the store can be built before the Camel context has started
     */
    public AzureBlobArtifactStore(CamelContext camelContext, BlobServiceClient serviceClient, String accountName,
                                  String serviceClientBeanName, String container, boolean createContainer) {
        this.container = container;
        if (camelContext.getRegistry().lookupByNameAndType(serviceClientBeanName, BlobServiceClient.class) == null) {
            camelContext.getRegistry().bind(serviceClientBeanName, BlobServiceClient.class, serviceClient);
        }
        String account = accountName != null && !accountName.isBlank() ? accountName : serviceClient.getAccountName();
        this.endpointBase = "azure-storage-blob://" + (account == null ? "account" : account) + "/" + container
                + "?serviceClient=#" + serviceClientBeanName;
        this.template = camelContext.createProducerTemplate();
        this.containerChecked = !createContainer;
        LOG.info("Azure Blob artifact store on container '{}' of account '{}'", container, account);
    }

    @Override
    public StoredArtifact put(String key, byte[] content, String contentType) {
        StorageKeys.requireSafe(key);
        String sha256 = Sha256.of(content);
        BlobHttpHeaders httpHeaders = new BlobHttpHeaders();
        if (contentType != null) {
            httpHeaders.setContentType(contentType);
        }
        send(BlobOperationsDefinition.uploadBlockBlob, key, "write artifact " + key, exchange -> {
            exchange.getIn().setBody(content);
            exchange.getIn().setHeader(BlobConstants.BLOB_HTTP_HEADERS, httpHeaders);
            exchange.getIn().setHeader(BlobConstants.METADATA, Map.of(SHA256_METADATA, sha256));
        });
        return new StoredArtifact(key, content.length, sha256, contentType);
    }

    @Override
    public Optional<byte[]> get(String key) {
        StorageKeys.requireSafe(key);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exchange result = trySend(endpoint(BlobOperationsDefinition.getBlob), key,
                exchange -> exchange.getIn().setBody(out));
        return failed(result, "read artifact " + key) ? Optional.empty() : Optional.of(out.toByteArray());
    }

    @Override
    public Optional<InputStream> open(String key) {
        StorageKeys.requireSafe(key);
        // closeStreamAfterRead=false: the stream outlives the exchange; the caller closes it
        Exchange result = trySend(endpoint(BlobOperationsDefinition.getBlob) + "&closeStreamAfterRead=false", key,
                exchange -> exchange.getIn().setBody(null));
        if (failed(result, "open artifact " + key)) {
            return Optional.empty();
        }
        InputStream stream = result.getMessage().getBody(InputStream.class);
        if (stream == null) {
            throw new StorageException("Cannot open artifact " + key + " (no stream in the reply)");
        }
        return Optional.of(stream);
    }

    @Override
    public boolean exists(String key) {
        StorageKeys.requireSafe(key);
        // The component has no "exists" operation: list with the key as prefix and look for the exact name.
        return listNames(key, "check artifact " + key).contains(key);
    }

    @Override
    public List<String> list(String prefix) {
        String normalised = StoragePrefixes.normalise(prefix);
        List<String> names = new ArrayList<>(listNames(normalised, "list artifacts under " + normalised));
        names.sort(null);
        return List.copyOf(names);
    }

    /** Block blobs appear only when committed whole, so the listed names are all there is to remove. */
    @Override
    public int deleteUnaccepted(String prefix) {
        String normalised = StoragePrefixes.normalise(prefix);
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("Refusing to delete the whole container");
        }
        List<String> names = listNames(normalised, "list unaccepted files under " + normalised);
        for (String name : names) {
            send(BlobOperationsDefinition.deleteBlob, name, "delete unaccepted file " + name, exchange -> { });
        }
        return names.size();
    }

    @Override
    public String backendName() {
        return "azure-blob";
    }

    @Override
    public String toString() {
        return "AzureBlobArtifactStore[container=" + container + "]";
    }

    /** Stops the producer template; the Camel context and the service client belong to the caller. */
    public void close() {
        template.stop();
    }

    public String container() {
        return container;
    }

    private List<String> listNames(String prefix, String what) {
        Exchange result = send(BlobOperationsDefinition.listBlobs, null, what, exchange -> {
            if (!prefix.isEmpty()) {
                exchange.getIn().setHeader(BlobConstants.PREFIX, prefix);
            }
        });
        @SuppressWarnings("unchecked")
        List<BlobItem> items = result.getMessage().getBody(List.class);
        List<String> names = new ArrayList<>();
        if (items != null) {
            for (BlobItem item : items) {
                // a prefix search may return "folder" placeholders or names a real account allows but keys do not
                if (item.isPrefix() == null || !item.isPrefix()) {
                    names.add(item.getName());
                }
            }
        }
        return names;
    }

    private void ensureContainer() {
        if (!containerChecked) {
            synchronized (this) {
                if (!containerChecked) {
                    createContainerIfMissing();
                    containerChecked = true;
                }
            }
        }
    }

    private void createContainerIfMissing() {
        Exchange result = rawSend(endpoint(BlobOperationsDefinition.createBlobContainer), null, exchange -> { });
        Exception failure = result.getException();
        if (failure == null) {
            LOG.info("Created blob container '{}'", container);
            return;
        }
        BlobStorageException blobError = findBlobError(failure);
        if (blobError != null && BlobErrorCode.CONTAINER_ALREADY_EXISTS.equals(blobError.getErrorCode())) {
            return;
        }
        throw new StorageException("Cannot create blob container " + container + describe(failure), failure);
    }

    private String endpoint(BlobOperationsDefinition operation) {
        return endpointBase + "&operation=" + operation.name();
    }

    private Exchange send(BlobOperationsDefinition operation, String blobName, String what, Consumer<Exchange> filler) {
        Exchange result = trySend(endpoint(operation), blobName, filler);
        if (result.getException() != null) {
            throw new StorageException("Cannot " + what + describe(result.getException()), result.getException());
        }
        return result;
    }

    private Exchange trySend(String uri, String blobName, Consumer<Exchange> filler) {
        ensureContainer();
        return rawSend(uri, blobName, filler);
    }

    private Exchange rawSend(String uri, String blobName, Consumer<Exchange> filler) {
        return template.send(uri, exchange -> {
            if (blobName != null) {
                exchange.getIn().setHeader(BlobConstants.BLOB_NAME, blobName);
            }
            filler.accept(exchange);
        });
    }

    /** @return true when the blob does not exist; throws on any other failure */
    private boolean failed(Exchange result, String what) {
        Exception failure = result.getException();
        if (failure == null) {
            return false;
        }
        BlobStorageException blobError = findBlobError(failure);
        if (blobError != null && blobError.getStatusCode() == 404) {
            return true;
        }
        throw new StorageException("Cannot " + what + describe(failure), failure);
    }

    private static BlobStorageException findBlobError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BlobStorageException blobError) {
                return blobError;
            }
        }
        return null;
    }

    /** Status and error code only: the SDK's full message contains request URLs. */
    private static String describe(Throwable failure) {
        BlobStorageException blobError = findBlobError(failure);
        if (blobError != null) {
            return " (HTTP " + blobError.getStatusCode() + ", " + blobError.getErrorCode() + ")";
        }
        return " (" + failure.getClass().getSimpleName() + ")";
    }
}
