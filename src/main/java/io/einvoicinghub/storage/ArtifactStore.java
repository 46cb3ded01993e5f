package io.einvoicinghub.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where every file of a submission is kept: the submitted JSON and context, each generated file, each
 * validation report, each external response. Keys are '/'-separated relative paths built by
 * {@link StorageLayout}; a backend maps them onto a folder tree or blob names unchanged, so an auditor
 * finds the same layout in both. Artifacts are written once and never deleted by the hub
 * (only the inputs of a request that was never accepted are removed again).
 */
public interface ArtifactStore {

    /** Stores {@code content} under {@code key}, replacing an earlier file of the same key. */
    StoredArtifact put(String key, byte[] content, String contentType);

    /**
     * Stores what {@code content} yields under {@code key}, as {@link #put(String, byte[], String)} does; a backend
     * that can copies it through without holding the whole file in memory (large generated documents).
     * The caller closes {@code content}.
     */
    default StoredArtifact put(String key, InputStream content, String contentType) {
        try {
            return put(key, content.readAllBytes(), contentType);
        } catch (java.io.IOException e) {
            throw new StorageException("Cannot read the content of artifact " + key, e);
        }
    }

    /** @return the content, or empty when nothing is stored under {@code key} */
    Optional<byte[]> get(String key);

    /** Streams the content; the caller closes the stream. Empty when nothing is stored under {@code key}. */
    Optional<InputStream> open(String key);

    boolean exists(String key);

    /** @return the keys under {@code prefix} (a folder-like prefix ending with '/'), sorted */
    List<String> list(String prefix);

    /**
     * Removes every file under {@code prefix}, partial writes included. Only for the inputs of a submission that
     * was never accepted (no database row refers to them); accepted artifacts are never deleted.
     *
     * @return how many files were removed
     */
    int deleteUnaccepted(String prefix);

    /** A short name for logs and the health endpoint, e.g. "local-folder" or "azure-blob". */
    String backendName();
}
