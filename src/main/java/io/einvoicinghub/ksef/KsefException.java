package io.einvoicinghub.ksef;

import java.util.List;

/**
 * A KSeF call that did not succeed. {@link KsefTransientException} (5xx, 408, 429, timeouts, connection
 * failures: retry later) and {@link KsefPermanentException} (other 4xx: retrying the same request cannot
 * help) tell the caller what to do. Messages name the operation, the HTTP status and KSeF's error codes,
 * never a token or the request body.
 */
public abstract sealed class KsefException extends RuntimeException permits KsefTransientException, KsefPermanentException {

    private final int httpStatus;
    private final List<KsefError> errors;

    protected KsefException(String message, int httpStatus, List<KsefError> errors, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** @return the HTTP status, or 0 when no answer arrived */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return KSeF's error entries (exception codes such as 21405), possibly empty */
    public List<KsefError> errors() {
        return errors;
    }

    public abstract boolean isTransient();
}
