package io.einvoicinghub.submission;

import java.time.OffsetDateTime;

/** Criteria for listing submissions; null criteria are not applied. */
public record SubmissionFilter(String legalEntity, SubmissionStatus status, String erpDocumentId,
                               OffsetDateTime createdFrom, OffsetDateTime createdTo, int limit, int offset) {
}
