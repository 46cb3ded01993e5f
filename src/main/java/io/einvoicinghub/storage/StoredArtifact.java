package io.einvoicinghub.storage;

/** What the log records of a stored file: where it is, how big, and its SHA-256 for integrity checks. */
public record StoredArtifact(String key, long size, String sha256, String contentType) {
}
