package io.einvoicinghub.ksef;

import java.util.Optional;

/**
 * The processing state of one invoice of a session ({@code SessionInvoiceStatusResponse}). Codes (open-api.json):
 * 100 received, 150 processing, 200 success (KSeF number assigned); 405 cancelled by a session error,
 * 410 wrong permission scope, 415 attachment not allowed, 430 invoice file verification error (XSD),
 * 435 decryption error, 440 duplicate, 450 semantic verification error; 500 unknown error, 550 cancelled by
 * the system ("try again").
 */
public record InvoiceStatus(int ordinalNumber, String referenceNumber, String invoiceNumber, String ksefNumber,
                            String invoiceHash, String acquisitionDate, String upoDownloadUrl, KsefStatus status) {

    public boolean processing() {
        return status.code() == 100 || status.code() == 150;
    }

    public boolean accepted() {
        return status.code() == 200;
    }

    /** A final refusal: the invoice must be corrected before it is sent again. */
    public boolean rejected() {
        return status.code() >= 400 && status.code() < 500;
    }

    /** 500 and 550: KSeF failed on its side; sending the invoice again (in a new session) may succeed. */
    public boolean failedTransiently() {
        return status.code() >= 500;
    }

    /** For 440: the KSeF number under which the same invoice (seller NIP, type, number) was accepted before. */
    public Optional<String> originalKsefNumber() {
        return Optional.ofNullable(status.extensions().get("originalKsefNumber"));
    }
}
