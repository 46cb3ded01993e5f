package io.einvoicinghub.cdar;

import io.einvoicinghub.validation.Finding;

import java.util.List;

/**
 * A status event or message the hub does not record as a status, with why; the API layer turns it into an answer.
 * {@link #kept()} is the history row under which a received message was kept all the same.
 */
public class InvoiceStatusException extends RuntimeException {

    public enum Reason {
        /** The event names no status of the published list, or lacks what the invoice must give. */
        INVALID_EVENT,
        /** The submission has not finished: its log is still being written. */
        NOT_FINISHED,
        /** The message the event gives fails the shipped CDAR rules. */
        MESSAGE_REFUSED,
        /** A received message is not a readable CDAR message (kept). */
        NOT_CDAR,
        /** A received message refers to no invoice the caller has (kept). */
        UNKNOWN_INVOICE
    }

    private final Reason reason;
    private final List<Finding> findings;
    private final StatusRecord kept;

    public InvoiceStatusException(Reason reason, String message, List<Finding> findings, StatusRecord kept) {
        super(message);
        this.reason = reason;
        this.findings = List.copyOf(findings);
        this.kept = kept;
    }

    public InvoiceStatusException(Reason reason, String message) {
        this(reason, message, List.of(), null);
    }

    public Reason reason() {
        return reason;
    }

    public List<Finding> findings() {
        return findings;
    }

    public StatusRecord kept() {
        return kept;
    }
}
