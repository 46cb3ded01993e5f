package io.einvoicinghub.ksef;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * KSeF did not answer, or answered 5xx/408/429: the same request may succeed later.
 * {@link #outcomeUnknown()} is true when the request may have been processed although its answer was lost
 * (timeout, connection reset, 5xx after the body was sent): before sending an invoice again, look it up by
 * its hash ({@link KsefClient#findInvoiceByHash}) — {@link KsefClient#sendInvoiceOnce} does that itself.
 */
public sealed class KsefTransientException extends KsefException permits KsefRateLimitedException {

    private final boolean outcomeUnknown;

    public KsefTransientException(String message, int httpStatus, List<KsefError> errors, boolean outcomeUnknown, Throwable cause) {
        super(message, httpStatus, errors, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** @return how long KSeF asked the caller to wait (Retry-After), when it said so */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
