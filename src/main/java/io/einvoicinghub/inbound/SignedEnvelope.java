package io.einvoicinghub.inbound;

import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

import java.util.Base64;
import java.util.Optional;

/**
 * Opens a CAdES/CMS signed envelope (.p7m, as FatturaPA and others send them) with BouncyCastle's CMS parser and
 * hands back the signed content. The signature is not verified here: that belongs to the signing issue (DSS).
 * Accepts DER and the Base64 form some senders use.
 */
public final class SignedEnvelope {

    private SignedEnvelope() {
    }

    /** The encapsulated content, or empty when the bytes are no CMS SignedData with content. */
    public static Optional<byte[]> unwrap(byte[] bytes) {
        byte[] der = bytes;
        if (bytes.length == 0) {
            return Optional.empty();
        }
        if (bytes[0] != 0x30) {
            der = base64(bytes);
            if (der == null || der.length == 0 || der[0] != 0x30) {
                return Optional.empty();
            }
        }
        try {
            CMSSignedData signed = new CMSSignedData(der);
            if (signed.getSignedContent() == null) {
                return Optional.empty(); // a detached signature: the content travels elsewhere
            }
            Object content = signed.getSignedContent().getContent();
            return content instanceof byte[] b ? Optional.of(b) : Optional.empty();
        } catch (CMSException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] base64(byte[] bytes) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).strip();
        if (text.startsWith("-----BEGIN")) {
            text = text.replaceAll("-----(BEGIN|END)[^-]*-----", "");
        }
        text = text.replaceAll("\\s", "");
        if (text.isEmpty() || !text.matches("[A-Za-z0-9+/=]+")) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
