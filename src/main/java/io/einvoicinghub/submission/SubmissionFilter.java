package io.einvoicinghub.submission;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Criteria for listing submissions; null criteria are not applied. {@code visibleLegalEntities} limits the list
 * to the caller's legal entities (null: all of them).
 */
public record SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                               OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset,
                               Set<String> visibleLegalEntities, Verdict verdict, String featureId) {

    public SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                            OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset) {
        this(legalEntity, status, erpDocumentId, createdFrom, createdTo, limit, offset, null, null, null);
    }

    public SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                            OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset,
                            Set<String> visibleLegalEntities) {
        this(legalEntity, status, erpDocumentId, createdFrom, createdTo, limit, offset, visibleLegalEntities, null, null);
    }

    public SubmissionFilter {
        visibleLegalEntities = visibleLegalEntities == null ? null : Set.copyOf(visibleLegalEntities);
    }

    /** The same criteria for any status: what the counts per status are taken over. */
    public SubmissionFilter anyStatus() {
        return new SubmissionFilter(legalEntity, null, erpDocumentId, createdFrom, createdTo, limit, offset,
                visibleLegalEntities, verdict, featureId);
    }
}
