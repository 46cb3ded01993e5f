package io.einvoicinghub.inbound;

import io.einvoicinghub.reader.InvoiceSyntax;

/**
 * What format detection found.
 *
 * @param format        the recognised format
 * @param syntax        UBL Invoice/CreditNote or CII when the content is one of them, else null
 * @param detail        the identifier that decided it (CustomizationID, guideline id, FatturaPA version, CFDI stamp
 *                      UUID) or why nothing was recognised
 * @param content       the bytes to read: the file itself, or the content of a signed (.p7m) envelope
 * @param unwrapped     true when {@code content} came out of a signed envelope
 */
public record DetectedDocument(InboundFormat format, InvoiceSyntax syntax, String detail, byte[] content,
                               boolean unwrapped) {

    public String documentType() {
        return syntax == null ? null : syntax.documentType();
    }
}
