package io.einvoicinghub.feature;

/** No feature, or more than one, can process a document; the ERP gets the reason and nothing is created. */
public class FeatureSelectionException extends RuntimeException {

    public enum Reason { UNKNOWN_FEATURE, NO_FEATURE_APPLIES, AMBIGUOUS }

    private final Reason reason;

    public FeatureSelectionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
