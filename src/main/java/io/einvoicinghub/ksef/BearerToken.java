package io.einvoicinghub.ksef;

/**
 * A token KSeF issued (authentication, access or refresh token, JWT). It authorises calls for the legal
 * entity, so {@link #toString()} never shows it; only {@link #token()} does, for the Authorization header.
 *
 * @param validUntil ISO date-time as KSeF wrote it, or null when unknown
 */
public record BearerToken(String token, String validUntil) {

    @Override
    public String toString() {
        return "BearerToken[redacted, validUntil=" + validUntil + "]";
    }
}
