package io.einvoicinghub.inbound;

/**
 * Where a received file stands. Received: stored, not yet read. Converted: valid, in the unified model, routed to a
 * legal entity and offered to the ERP. Failed: kept with a reason, can be reprocessed. Duplicate: the same document
 * was offered before (same file, or same seller + invoice number + issue date). Acknowledged: the ERP imported it.
 * Unpacked: a zip archive whose files were taken as receipts of their own. Valid: offered to the ERP as the original
 * only (a format the hub does not convert: FatturaPA, CFDI).
 */
public enum ReceiptStatus {
    RECEIVED("Received"), CONVERTED("Converted"), FAILED("Failed"), DUPLICATE("Duplicate"), ACKNOWLEDGED("Acknowledged"),
    /** A zip archive whose files became receipts of their own (their ids in its log). */
    UNPACKED("Unpacked"),
    /**
     * Recognised, valid and routed, offered to the ERP as the original only: a format the hub does not convert to the
     * unified model (FatturaPA, CFDI 4.0).
     */
    VALID("Valid");

    /** Offered to the ERP and not yet acknowledged: listed by the ERP API. */
    public boolean offered() {
        return this == CONVERTED || this == VALID;
    }

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
