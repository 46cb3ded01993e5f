package io.einvoicinghub.ksef;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * One of the Ministry's public key certificates ({@code GET /security/public-key-certificates}).
 *
 * @param certificate DER X.509, Base64
 * @param usage       {@code KsefTokenEncryption} and/or {@code SymmetricKeyEncryption}
 */
public record PublicKeyCertificate(String certificate, String publicKeyId, String validFrom, String validTo,
                                   List<String> usage) {

    public static final String KSEF_TOKEN_ENCRYPTION = "KsefTokenEncryption";
    public static final String SYMMETRIC_KEY_ENCRYPTION = "SymmetricKeyEncryption";

    public PublicKeyCertificate {
        usage = usage == null ? List.of() : List.copyOf(usage);
    }

    public PublicKey publicKey() {
        try {
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(certificate)));
            return x509.getPublicKey();
        } catch (CertificateException | IllegalArgumentException e) {
            throw new KsefPermanentException("KSeF public key certificate " + publicKeyId + " cannot be read: " + e.getMessage(), 0, List.of());
        }
    }

    public boolean usableFor(String purpose) {
        return usage.contains(purpose);
    }
}
