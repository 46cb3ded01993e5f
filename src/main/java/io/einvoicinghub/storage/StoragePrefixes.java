package io.einvoicinghub.storage;

/** Normalises the folder-like prefix given to {@link ArtifactStore#list(String)}. */
final class StoragePrefixes {

    private StoragePrefixes() {
    }

    /**
     * @return "" for a null or empty prefix (everything), otherwise the safe prefix ending with exactly one '/'
     * @throws IllegalArgumentException when the prefix is not made of safe key segments
     */
    static String normalise(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return StorageKeys.requireSafe(trimmed) + "/";
    }
}
