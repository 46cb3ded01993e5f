package io.einvoicinghub.submission;

import java.time.OffsetDateTime;

/** One row of the submission table. */
public record Submission(String id, String legalEntity, String country, String documentType, String erpDocumentId,
                         String contentSha256, String idempotencyKey, String featureId, String featureVersion,
                         SubmissionStatus status, Verdict verdict, String statusMessage, String storagePrefix,
                         int runNo, String ownerNode, OffsetDateTime leaseUntil, boolean cancelRequested,
                         OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime finishedAt) {
}
