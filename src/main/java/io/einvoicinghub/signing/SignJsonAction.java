package io.einvoicinghub.signing;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.EncryptionAlgorithm;
import eu.europa.esig.dss.enumerations.JWSSerializationType;
import eu.europa.esig.dss.enumerations.SigDMechanism;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.jades.JAdESSignatureParameters;
import eu.europa.esig.dss.jades.signature.JAdESService;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.secrets.KeyMaterials;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;

/**
 * {@code sign-json}: signs the current document (JSON, or any bytes) as a plain JWS (RFC 7515, jose4j: compact
 * serialization with the certificate chain in {@code x5c}) or as JAdES-B-B (ETSI TS 119 182, EU DSS: compact, flattened
 * or general JSON serialization), with the payload inside or detached (RFC 7515 appendix F; JAdES without sigD).
 */
@Component
public class SignJsonAction implements Action {

    static final String JWS = "JWS";
    static final String JADES_B_B = "JAdES-B-B";

    private static final ActionSpec SPEC = ActionSpec.of("sign-json",
                    "Sign the current document as JWS (compact) or JAdES-B-B, payload inside or detached")
            .parameter(SigningParameters.CERTIFICATE)
            .parameter(SigningParameters.OUTPUT_NAME)
            .parameter(ParameterSpec.oneOf("level", JADES_B_B, "JWS (plain RFC 7515) or JAdES-B-B (ETSI TS 119 182)", JWS, JADES_B_B))
            .parameter(ParameterSpec.oneOf("serialization", "compact",
                    "compact, json-flattened or json (the last two JAdES only)", "compact", "json-flattened", "json"))
            .parameter(ParameterSpec.optional("detachedPayload", ParameterSpec.Type.BOOLEAN, "false",
                    "true: the signature leaves the payload out (it is stored beside the document, which stays current)"))
            .parameter(SigningParameters.DIGEST)
            .parameter(SigningParameters.SIGNATURE_ALGORITHM)
            .build();

    private final SigningCertificates certificates;

    public SignJsonAction(SigningCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        boolean detached = p.getBoolean("detachedPayload", false);
        String level = p.require("level");
        String serialization = p.require("serialization");
        if (JWS.equals(level) && !"compact".equals(serialization)) {
            throw new StepFailure.Permanent("sign-json: level JWS is offered in compact serialization; use JAdES-B-B for " + serialization);
        }
        byte[] payload = step.document();
        byte[] signed;
        try (KeyMaterials.SigningToken token = certificates.open(p.require("certificate"))) {
            EncryptionAlgorithm encryption = SigningParameters.encryption(p, token);
            DigestAlgorithm digest = SigningParameters.digest(p);
            signed = JWS.equals(level)
                    ? jws(payload, token, encryption, digest, detached)
                    : jades(payload, step.documentName(), token, encryption, digest, serialization, detached, Date.from(certificates.now()));
        }
        String name = p.require("outputName");
        String contentType = "compact".equals(serialization) ? "application/jose" : "application/jose+json";
        if (detached) {
            var stored = step.storeFile(name, "signature", contentType, signed);
            step.setVariable(SigningParameters.DETACHED_SIGNATURE_VARIABLE, stored.key() == null ? name : stored.key());
        } else {
            step.storeDocument(name, "output", contentType, signed);
        }
        return StepResult.done();
    }

    private static byte[] jades(byte[] payload, String documentName, KeyMaterials.SigningToken token, EncryptionAlgorithm encryption,
                                DigestAlgorithm digest, String serialization, boolean detached, Date signingTime) {
        JAdESSignatureParameters parameters = new JAdESSignatureParameters();
        parameters.setSignatureLevel(SignatureLevel.JAdES_BASELINE_B);
        parameters.setSignaturePackaging(detached ? SignaturePackaging.DETACHED : SignaturePackaging.ENVELOPING);
        if (detached) {
            parameters.setSigDMechanism(SigDMechanism.NO_SIG_D);
        }
        parameters.setJwsSerializationType(switch (serialization) {
            case "json" -> JWSSerializationType.JSON_SERIALIZATION;
            case "json-flattened" -> JWSSerializationType.FLATTENED_JSON_SERIALIZATION;
            default -> JWSSerializationType.COMPACT_SERIALIZATION;
        });
        parameters.setDigestAlgorithm(digest);
        parameters.setEncryptionAlgorithm(encryption);
        DSSDocument document = new InMemoryDocument(payload, documentName == null ? "document.json" : documentName);
        return SignXmlAction.bytes(SigningParameters.sign(new JAdESService(new CommonCertificateVerifier()), document, parameters,
                token, signingTime));
    }

    private static byte[] jws(byte[] payload, KeyMaterials.SigningToken token, EncryptionAlgorithm encryption, DigestAlgorithm digest,
                              boolean detached) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayloadBytes(payload);
        jws.setAlgorithmHeaderValue(algorithm(encryption, digest));
        jws.setCertificateChainHeaderValue(Arrays.stream(token.key().getCertificateChain())
                .map(CertificateToken::getCertificate).toArray(X509Certificate[]::new));
        jws.setKey(token.key().getPrivateKey());
        String serialized = detached ? jws.getDetachedContentCompactSerialization() : jws.getCompactSerialization();
        return serialized.getBytes(StandardCharsets.US_ASCII);
    }

    private static String algorithm(EncryptionAlgorithm encryption, DigestAlgorithm digest) {
        String bits = switch (digest) {
            case SHA384 -> "384";
            case SHA512 -> "512";
            default -> "256";
        };
        return switch (encryption) {
            case ECDSA -> switch (bits) {
                case "384" -> AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
                case "512" -> AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512;
                default -> AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            };
            case RSASSA_PSS -> "PS" + bits;
            default -> "RS" + bits;
        };
    }
}
