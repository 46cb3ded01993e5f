package io.einvoicinghub.submission;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Criteria for listing submissions; null criteria are not applied. {@code visibleLegalEntities} limits the list
 * to the caller's legal entities (null: all of them).
 */
public record SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                               OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset,
                               Set<String> visibleLegalEntities) {

    public SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                            OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset) {
        this(legalEntity, status, erpDocumentId, createdFrom, createdTo, limit, offset, null);
    }

    public SubmissionFilter {
        visibleLegalEntities = visibleLegalEntities == null ? null : Set.copyOf(visibleLegalEntities);
    }
}
