package io.einvoicinghub.ksef;

/**
 * An open online (interactive) session: {@code referenceNumber} is needed for every later call, and the
 * {@link SessionKey} that was sent encrypted when it was opened encrypts its invoices. A caller that may
 * resume after a crash persists both (the key protected like a secret) before it sends an invoice.
 *
 * @param validUntil ISO date-time; KSeF closes the session itself 12 hours after it was opened
 */
public record OnlineSession(String referenceNumber, String validUntil, SessionKey key) {
}
