package io.einvoicinghub.signing;

import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESService;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.secrets.KeyMaterials;
import org.springframework.stereotype.Component;

import java.util.Date;

/**
 * {@code sign-cades}: CAdES-B-B (CMS, EU DSS) over the current document — enveloping (the document inside, a
 * {@code .p7m} that becomes the current document) or detached (a {@code .p7s} stored beside it).
 */
@Component
public class SignCadesAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("sign-cades",
                    "Sign the current document as CAdES-B-B: enveloping .p7m (becomes the current document) or detached .p7s")
            .parameter(SigningParameters.CERTIFICATE)
            .parameter(SigningParameters.OUTPUT_NAME)
            .parameter(ParameterSpec.oneOf("packaging", "enveloping",
                    "enveloping (.p7m: the document inside the CMS) or detached (.p7s: the signature only)", "enveloping", "detached"))
            .parameter(SigningParameters.DIGEST)
            .parameter(SigningParameters.SIGNATURE_ALGORITHM)
            .build();

    private final SigningCertificates certificates;

    public SignCadesAction(SigningCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        boolean detached = "detached".equals(p.require("packaging"));
        DSSDocument document = new InMemoryDocument(step.document(), step.documentName() == null ? "document" : step.documentName());
        byte[] signed;
        try (KeyMaterials.SigningToken token = certificates.open(p.require("certificate"))) {
            CAdESSignatureParameters parameters = new CAdESSignatureParameters();
            parameters.setSignatureLevel(SignatureLevel.CAdES_BASELINE_B);
            parameters.setSignaturePackaging(detached ? SignaturePackaging.DETACHED : SignaturePackaging.ENVELOPING);
            parameters.setDigestAlgorithm(SigningParameters.digest(p));
            parameters.setEncryptionAlgorithm(SigningParameters.encryption(p, token));
            signed = SignXmlAction.bytes(SigningParameters.sign(new CAdESService(new CommonCertificateVerifier()), document, parameters,
                    token, Date.from(certificates.now())));
        }
        String name = p.require("outputName");
        if (detached) {
            var stored = step.storeFile(name, "signature", "application/pkcs7-signature", signed);
            step.setVariable(SigningParameters.DETACHED_SIGNATURE_VARIABLE, stored.key() == null ? name : stored.key());
        } else {
            step.storeDocument(name, "output", "application/pkcs7-mime", signed);
        }
        return StepResult.done();
    }
}
