package io.einvoicinghub.cdar;

import java.time.OffsetDateTime;

/**
 * One row of a submission's or receipt's status history (table {@code invoice_status}): what was written or
 * received, where its message is stored, and what came of it.
 *
 * @param source  {@code event} (the hub wrote the message) or {@code cdar} (a received message)
 * @param outcome {@code recorded}, {@code unmatched} (no invoice found; kept) or {@code invalid} (not CDAR; kept)
 */
public record StatusRecord(long id, String submissionId, String receiptId, String source, String outcome, String statusCode,
                           String statusLabel, OffsetDateTime statusAt, String issuerRole, String reasonCode,
                           String reasonText, String amount, String currency, String invoiceNumber, String sellerId,
                           String messageId, String storageKey, String sha256, long size, Long artifactId, String detail,
                           String caller, OffsetDateTime recordedAt) {

    public static final String EVENT = "event";
    public static final String RECEIVED = "cdar";
    public static final String RECORDED = "recorded";
    public static final String UNMATCHED = "unmatched";
    public static final String INVALID = "invalid";
}
