package io.einvoicinghub.inbound;

/**
 * Where a received file stands. Received: stored, not yet read. Converted: valid, in the unified model, routed to a
 * legal entity and offered to the ERP. Failed: kept with a reason, can be reprocessed. Duplicate: the same document
 * was offered before (same file, or same seller + invoice number + issue date). Acknowledged: the ERP imported it.
 * Unpacked: a zip archive whose files were taken as receipts of their own.
 */
public enum ReceiptStatus {
    RECEIVED("Received"), CONVERTED("Converted"), FAILED("Failed"), DUPLICATE("Duplicate"), ACKNOWLEDGED("Acknowledged"),
    /** A zip archive whose files became receipts of their own (their ids in its log). */
    UNPACKED("Unpacked");

    private final String label;

    ReceiptStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ReceiptStatus ofLabel(String label) {
        for (ReceiptStatus status : values()) {
            if (status.label.equals(label)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown receipt status: " + label);
    }
}
