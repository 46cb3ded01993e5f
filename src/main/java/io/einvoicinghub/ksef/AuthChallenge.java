package io.einvoicinghub.ksef;

/** Answer of {@code POST /auth/challenge}; valid for 10 minutes. {@code timestampMs} goes into the encrypted token. */
public record AuthChallenge(String challenge, String timestamp, long timestampMs) {
}
