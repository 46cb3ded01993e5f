package io.einvoicinghub.ksef;

/**
 * The entity in whose context KSeF is used (the seller's NIP for outbound invoices).
 *
 * @param type {@code Nip}, {@code InternalId}, {@code NipVatUe} or {@code PeppolId} (AuthenticationContextIdentifierType)
 */
public record ContextIdentifier(String type, String value) {

    public static ContextIdentifier nip(String nip) {
        return new ContextIdentifier("Nip", nip);
    }
}
