package io.einvoicinghub.processing;

/** Exchange properties that carry a submission run through its feature's route. */
public final class RunProperties {

    public static final String SUBMISSION_ID = "hubSubmissionId";
    public static final String RUN = "hubRun";
    public static final String FEATURE_ID = "hubFeatureId";
    public static final String STORAGE_PREFIX = "hubStoragePrefix";
    public static final String CLAIMED = "hubClaimed";
    /** Stylesheet parameter and header: Invoice or CreditNote. */
    public static final String DOCUMENT_TYPE = "documentType";

    private RunProperties() {
    }
}
