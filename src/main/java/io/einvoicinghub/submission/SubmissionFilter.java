package io.einvoicinghub.submission;

import java.time.OffsetDateTime;

/** Criteria for listing submissions; null criteria are not applied. */
public record SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                               OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset,
                               Verdict verdict, String featureId) {

    public SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                            OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset) {
        this(legalEntity, status, erpDocumentId, createdFrom, createdTo, limit, offset, null, null);
    }

    /** The same criteria for any status: what the counts per status are taken over. */
    public SubmissionFilter anyStatus() {
        return new SubmissionFilter(legalEntity, null, erpDocumentId, createdFrom, createdTo, limit, offset, verdict, featureId);
    }
}
