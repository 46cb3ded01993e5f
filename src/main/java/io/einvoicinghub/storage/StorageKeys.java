package io.einvoicinghub.storage;

import java.util.regex.Pattern;

/** Guards every key before a backend sees it: no absolute paths, no '..', no control characters. */
public final class StorageKeys {

    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9._\\-]+");

    private static final Pattern UNSAFE_CHARACTER = Pattern.compile("[^A-Za-z0-9._\\-]");

    private StorageKeys() {
    }

    public static String requireSafe(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("Invalid storage key: " + key);
        }
        for (String segment : key.split("/")) {
            if (!SAFE_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("Invalid storage key segment '" + segment + "' in " + key);
            }
        }
        return key;
    }

    /** Makes a free-text value (e.g. a legal entity id) usable as one key segment. */
    public static String segment(String value) {
        if (value == null || value.isBlank()) {
            return "_";
        }
        String cleaned = UNSAFE_CHARACTER.matcher(value).replaceAll("_");
        return cleaned.equals(".") || cleaned.equals("..") ? "_" : cleaned;
    }
}
