package io.einvoicinghub.ksef.hub;

import io.einvoicinghub.ksef.KsefException;
import io.einvoicinghub.ksef.KsefPermanentException;
import io.einvoicinghub.ksef.KsefTransientException;
import io.einvoicinghub.processing.action.StepFailure;

/** KSeF's failures as the engine's: transient ones are retried (Retry-After honoured), the rest fail the run. */
final class KsefFailures {

    private KsefFailures() {
    }

    static StepFailure of(KsefException e, KsefConnections connections, String environment, String nip, String tokenSecret) {
        if (e instanceof KsefTransientException t) {
            return new StepFailure.Transient(e.getMessage(), t.retryAfter().orElse(null));
        }
        if (e instanceof KsefPermanentException && e.httpStatus() == 401) {
            connections.forget(environment, nip, tokenSecret); // the login expired or was revoked: log in again on the next attempt
            return new StepFailure.Transient(e.getMessage(), null);
        }
        return new StepFailure.Permanent(e.getMessage());
    }

    /** The taxpayer's NIP: the parameter when given, else the seller's VAT id without its PL prefix. */
    static String nip(String parameter, String sellerVatId) throws StepFailure.Permanent {
        String value = parameter != null && !parameter.isBlank() ? parameter : sellerVatId;
        if (value == null) {
            throw new StepFailure.Permanent("no NIP: the seller has no VAT identifier (BT-31) and the step names none");
        }
        String digits = value.trim().toUpperCase().replaceFirst("^PL", "").replaceAll("[\\s-]", "");
        if (!digits.matches("\\d{10}")) {
            throw new StepFailure.Permanent("'" + value + "' is not a Polish NIP (10 digits, optionally after PL)");
        }
        return digits;
    }
}
