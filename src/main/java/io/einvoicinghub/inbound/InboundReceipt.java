package io.einvoicinghub.inbound;

import java.time.OffsetDateTime;

/** One received file and what the hub made of it (a row of {@code inbound_receipt}). */
public record InboundReceipt(String id, String channel, String sourceReference, String fileName, String fileHash,
                             long fileSize, String storagePrefix, String legalEntity, String detectedFormat,
                             String formatDetail, ReceiptStatus status, String reason, String sellerId,
                             String invoiceNumber, String issueDate, String duplicateOf, int attempts,
                             OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime convertedAt,
                             OffsetDateTime acknowledgedAt) {

    /** Storage key of the file exactly as it arrived. */
    public String originalKey() {
        return storagePrefix + InboundLayout.ORIGINAL;
    }

    /** Storage key of the converted unified JSON ({@code {"document": …}}), present once Converted. */
    public String unifiedKey() {
        return storagePrefix + InboundLayout.UNIFIED;
    }
}
