package io.einvoicinghub.signing;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.EncryptionAlgorithm;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.secrets.KeyMaterials;

import java.util.Date;

/** Parameters and the DSS sign sequence the signing actions share. */
final class SigningParameters {

    static final ParameterSpec CERTIFICATE = ParameterSpec.required("certificate", ParameterSpec.Type.CERTIFICATE,
            "name of the signing certificate with its private key: local keystore alias or base64 PKCS#12 secret");
    static final ParameterSpec OUTPUT_NAME = ParameterSpec.required("outputName", ParameterSpec.Type.STRING,
            "file name of the signed document (or of the detached signature) in storage");
    static final ParameterSpec DIGEST = ParameterSpec.oneOf("digestAlgorithm", "SHA256",
            "digest of the signed data", "SHA256", "SHA384", "SHA512");
    static final ParameterSpec SIGNATURE_ALGORITHM = ParameterSpec.oneOf("signatureAlgorithm", "auto",
            "auto (from the key: RSA PKCS#1 v1.5 or ECDSA), RSA, RSASSA-PSS (RSA keys) or ECDSA (EC keys)",
            "auto", "RSA", "RSASSA-PSS", "ECDSA");

    /** Run variable holding the storage key of the last detached signature (for verify-signature source=detached). */
    static final String DETACHED_SIGNATURE_VARIABLE = "signature.detachedFile";

    private SigningParameters() {
    }

    static DigestAlgorithm digest(StepParameters p) {
        return DigestAlgorithm.forName(p.require("digestAlgorithm"));
    }

    /** The encryption algorithm asked for, checked against the key. */
    static EncryptionAlgorithm encryption(StepParameters p, KeyMaterials.SigningToken token) throws StepFailure.Permanent {
        EncryptionAlgorithm ofKey = token.key().getEncryptionAlgorithm();
        String asked = p.require("signatureAlgorithm");
        EncryptionAlgorithm chosen = switch (asked) {
            case "RSA" -> EncryptionAlgorithm.RSA;
            case "RSASSA-PSS" -> EncryptionAlgorithm.RSASSA_PSS;
            case "ECDSA" -> EncryptionAlgorithm.ECDSA;
            default -> ofKey;
        };
        if (!chosen.isEquivalent(ofKey)) {
            throw new StepFailure.Permanent("signatureAlgorithm " + asked + " does not fit certificate '" + token.name()
                    + "', whose key is " + ofKey.getName());
        }
        return chosen;
    }

    /** The DSS sequence: data to sign, signature value from the token, signed document. */
    static <P extends AbstractSignatureParameters<?>> DSSDocument sign(DocumentSignatureService<P, ?> service, DSSDocument document,
                                                                       P parameters, KeyMaterials.SigningToken token, Date signingTime) {
        // DSS derives the encryption algorithm from the certificate's key when the certificate is set, which would turn
        // the RSASSA-PSS asked for back into RSA PKCS#1 v1.5: keep the chosen one
        var chosen = parameters.getEncryptionAlgorithm();
        parameters.setSigningCertificate(token.key().getCertificate());
        if (chosen != null) {
            parameters.setEncryptionAlgorithm(chosen);
        }
        parameters.setCertificateChain(token.key().getCertificateChain());
        parameters.bLevel().setSigningDate(signingTime);
        ToBeSigned toBeSigned = service.getDataToSign(document, parameters);
        SignatureValue value = token.token().sign(toBeSigned, parameters.getSignatureAlgorithm(), token.key());
        return service.signDocument(document, parameters, value);
    }
}
