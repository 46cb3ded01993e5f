package io.einvoicinghub.ksef;

import java.util.List;

/**
 * {@code GET /sessions/{referenceNumber}}: online session codes 100 open, 170 closed, 200 processed, 415 key
 * decryption error, 440 cancelled (no invoices), 445 no valid invoices. {@code upoReferenceNumbers} are the
 * pages of the collective session UPO, present once the session is closed and processed.
 */
public record SessionStatus(KsefStatus status, int invoiceCount, int successfulInvoiceCount, int failedInvoiceCount,
                            List<String> upoReferenceNumbers) {
}
