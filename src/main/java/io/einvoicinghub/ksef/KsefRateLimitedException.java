package io.einvoicinghub.ksef;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * 429 Too Many Requests. KSeF blocks further requests for the {@code Retry-After} seconds it sends (the
 * block grows with repeated excesses, limity-api.md), so the caller waits at least that long; nothing was
 * processed.
 */
public final class KsefRateLimitedException extends KsefTransientException {

    private final Duration retryAfter;

    public KsefRateLimitedException(String message, Duration retryAfter, List<KsefError> errors) {
        super(message, 429, errors, false, null);
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
