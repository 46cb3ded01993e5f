package io.einvoicinghub.ksef;

import java.util.List;

/** KSeF refused the request (4xx other than 408/429, or an answer that cannot be read): do not retry it unchanged. */
public final class KsefPermanentException extends KsefException {

    public KsefPermanentException(String message, int httpStatus, List<KsefError> errors) {
        super(message, httpStatus, errors, null);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
