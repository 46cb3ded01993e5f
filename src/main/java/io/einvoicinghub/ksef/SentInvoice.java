package io.einvoicinghub.ksef;

/**
 * An invoice KSeF took into a session (202 on send, or found again by hash after a lost response).
 *
 * @param referenceNumber the invoice's reference number in the session (not yet the KSeF number)
 * @param invoiceHash     SHA-256 (Base64) of the plain invoice XML; KSeF lists the session's invoices by it
 * @param alreadyPresent  true when the invoice was found in the session by its hash and not sent again
 */
public record SentInvoice(String referenceNumber, String invoiceHash, long invoiceSize, boolean alreadyPresent) {
}
