package io.einvoicinghub.inbound;

import io.einvoicinghub.reader.InvoiceSyntax;

import java.util.List;

/**
 * What format detection found.
 *
 * @param format        the recognised format
 * @param syntax        UBL Invoice/CreditNote or CII when the content is one of them, else null
 * @param detail        the identifier that decided it (CustomizationID, guideline id, FatturaPA version, CFDI stamp
 *                      UUID) or why nothing was recognised
 * @param content       the bytes to read: the file itself, the content of a signed (.p7m) envelope, or the XML
 *                      embedded in a Factur-X/ZUGFeRD PDF
 * @param container     what {@code content} was taken out of
 * @param notes         what opening the container found (signer, signature validity, the embedded file's name),
 *                      for the receipt log
 * @param failure       why the file cannot be used even though it was recognised (a PDF without invoice XML, a
 *                      signature that does not verify), else null
 */
public record DetectedDocument(InboundFormat format, InvoiceSyntax syntax, String detail, byte[] content,
                               Container container, List<Note> notes, String failure) {

    /** Where the content came from. */
    public enum Container {
        NONE(null), SIGNED_ENVELOPE("a signed (.p7m) envelope"), PDF("a PDF (embedded file)"), ARCHIVE("a zip archive");

        private final String label;

        Container(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One receipt-log line from opening the container. */
    public record Note(String severity, String message, String ruleId) {
    }

    public DetectedDocument {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    DetectedDocument(InboundFormat format, InvoiceSyntax syntax, String detail, byte[] content) {
        this(format, syntax, detail, content, Container.NONE, List.of(), null);
    }

    /** True when {@code content} came out of a signed envelope or a PDF (a derived file, stored beside the original). */
    public boolean unwrapped() {
        return container == Container.SIGNED_ENVELOPE || container == Container.PDF;
    }

    /** The detail, and where the content came from: what the receipt records as its format detail. */
    public String describe() {
        return container == Container.NONE || container == Container.ARCHIVE ? detail : detail + ", from " + container.label();
    }

    public String documentType() {
        return syntax == null ? null : syntax.documentType();
    }

    /** The same detection, found inside {@code outer}, with the notes of opening it first. */
    DetectedDocument inside(Container outer, List<Note> openingNotes, String outerFailure) {
        List<Note> all = new java.util.ArrayList<>(openingNotes);
        all.addAll(notes);
        return new DetectedDocument(format, syntax, detail, content, outer, all, outerFailure != null ? outerFailure : failure);
    }
}
