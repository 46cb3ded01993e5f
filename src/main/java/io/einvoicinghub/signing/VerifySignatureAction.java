package io.einvoicinghub.signing;

import eu.europa.esig.dss.diagnostic.DiagnosticData;
import eu.europa.esig.dss.diagnostic.SignatureWrapper;
import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.enumerations.SubIndication;
import eu.europa.esig.dss.jaxb.object.Message;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.simplereport.jaxb.XmlCertificate;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;
import eu.europa.esig.dss.enumerations.Level;
import eu.europa.esig.dss.model.policy.ValidationPolicy;
import eu.europa.esig.dss.policy.EtsiValidationPolicy;
import eu.europa.esig.dss.policy.ValidationPolicyFacade;
import eu.europa.esig.dss.policy.jaxb.CertificateConstraints;
import eu.europa.esig.dss.policy.jaxb.ConstraintsParameters;
import eu.europa.esig.dss.policy.jaxb.LevelConstraint;
import eu.europa.esig.dss.policy.jaxb.SignatureConstraints;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.secrets.SecretStore;
import io.einvoicinghub.validation.Finding;
import org.springframework.stereotype.Component;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code verify-signature}: validates the signatures of the current document (XAdES/XMLDSig, CAdES, JAdES/JWS)
 * with the EU DSS validator and its default ETSI validation policy, offline: trust comes from the certificates
 * named in {@code trustedCertificates}. Each signature gives findings and run variables: signer, signing time,
 * format, DSS's indication and sub-indication, the certificate chain and whether it reaches a trusted
 * certificate. A broken signature (changed content, wrong key) is an error finding, so the run fails; an
 * untrusted chain is a warning, or an error with {@code requireTrustedChain}. DSS's simple report is stored.
 */
@Component
public class VerifySignatureAction implements Action {

    static final String LAYER = "DSS";
    private static final String DEFAULT_POLICY = "/policy/constraint.xml";

    private static final ActionSpec SPEC = ActionSpec.of("verify-signature",
                    "Verify the signatures of the current document (XAdES/XMLDSig, CAdES, JAdES/JWS) with EU DSS: signer, "
                            + "signing time, chain status; a broken signature fails the run")
            .parameter(ParameterSpec.oneOf("source", "document",
                    "document: the current document is the signed file (enveloped, enveloping, .p7m, JWS); detached: the "
                            + "detached signature of the last sign step, over the current document", "document", "detached"))
            .parameter(ParameterSpec.optional("trustedCertificates", ParameterSpec.Type.CERTIFICATE, null,
                    "comma-separated certificate names (keystore aliases or secrets) trusted as anchors of the signer's chain"))
            .parameter(ParameterSpec.optional("requireTrustedChain", ParameterSpec.Type.BOOLEAN, "false",
                    "true: a signature whose chain reaches no trusted certificate, or that DSS does not pass, is an error"))
            .parameter(ParameterSpec.oneOf("revocation", "optional",
                    "optional: missing revocation data (CRL/OCSP, not fetched: the hub verifies offline) is a warning in "
                            + "DSS's report; required: DSS's default policy, where it leaves the chain INDETERMINATE", "optional", "required"))
            .parameter(ParameterSpec.optional("reportName", ParameterSpec.Type.STRING, "signature-validation.xml",
                    "file name of DSS's simple validation report in storage"))
            .parameter(ParameterSpec.optional("variablePrefix", ParameterSpec.Type.STRING, "signature.",
                    "prefix of the run variables set (valid, signer, signingTime, format, indication, subIndication, chain, trusted, count)"))
            .build();

    private final SigningCertificates certificates;

    public VerifySignatureAction(SigningCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    /** What DSS found about one signature. */
    public record Outcome(String id, boolean intact, boolean trusted, Indication indication, SubIndication subIndication,
                          String signer, Date signingTime, String format, List<String> chain, List<String> errors) {
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        DSSDocument signed;
        List<DSSDocument> detached = List.of();
        String name = step.documentName() == null ? "document" : step.documentName();
        if ("detached".equals(p.require("source"))) {
            String key = step.variable(SigningParameters.DETACHED_SIGNATURE_VARIABLE);
            if (key == null) {
                throw new StepFailure.Permanent("verify-signature source=detached: no sign step of this run made a detached signature");
            }
            signed = new InMemoryDocument(step.file(key), "signature");
            detached = List.of(new InMemoryDocument(step.document(), name));
        } else {
            signed = new InMemoryDocument(step.document(), name);
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (String certificate : p.getList("trustedCertificates")) {
            try {
                anchors.addAll(certificates.keys().certificateChain(certificate));
            } catch (SecretStore.SecretNotFoundException e) {
                throw new StepFailure.Permanent("Trusted certificate '" + certificate + "' is missing: neither the local keystore nor the secret store has it");
            }
        }
        Verification verification = verify(signed, detached, anchors, "required".equals(p.require("revocation")));
        boolean requireTrust = p.getBoolean("requireTrustedChain", false);
        List<Finding> findings = findings(verification, requireTrust);
        step.addFindings(findings);
        step.state().blocking += (int) findings.stream().filter(Finding::isBlocking).count();
        step.state().warnings += (int) findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        String prefix = p.require("variablePrefix");
        step.setVariable(prefix + "count", String.valueOf(verification.outcomes().size()));
        step.setVariable(prefix + "valid", String.valueOf(findings.stream().noneMatch(Finding::isBlocking)));
        if (!verification.outcomes().isEmpty()) {
            Outcome first = verification.outcomes().get(0);
            step.setVariable(prefix + "signer", String.valueOf(first.signer()));
            if (first.signingTime() != null) {
                step.setVariable(prefix + "signingTime", DateTimeFormatter.ISO_INSTANT.format(first.signingTime().toInstant()));
            }
            step.setVariable(prefix + "format", String.valueOf(first.format()));
            step.setVariable(prefix + "indication", String.valueOf(first.indication()));
            step.setVariable(prefix + "subIndication", first.subIndication() == null ? "" : first.subIndication().name());
            step.setVariable(prefix + "chain", String.join(" > ", first.chain()));
            step.setVariable(prefix + "trusted", String.valueOf(first.trusted()));
        }
        step.storeFile(p.require("reportName"), "validation-report", "application/xml",
                verification.simpleReportXml().getBytes(StandardCharsets.UTF_8));
        return StepResult.done();
    }

    /** DSS's validation of {@code signed} (with its detached content, if any), trusting {@code anchors}. */
    public static Verification verify(DSSDocument signed, List<DSSDocument> detached, List<X509Certificate> anchors,
                                      boolean revocationRequired) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        if (!anchors.isEmpty()) {
            CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
            anchors.forEach(c -> trusted.addCertificate(new CertificateToken(c)));
            verifier.setTrustedCertSources(trusted);
        }
        SignedDocumentValidator validator;
        try {
            validator = SignedDocumentValidator.fromDocument(signed);
        } catch (RuntimeException e) {
            return new Verification(List.of(), "", "not a signed document DSS can read: " + e.getMessage());
        }
        validator.setCertificateVerifier(verifier);
        if (!detached.isEmpty()) {
            validator.setDetachedContents(detached);
        }
        Reports reports = validator.validateDocument(policy(revocationRequired));
        SimpleReport simple = reports.getSimpleReport();
        DiagnosticData diagnostic = reports.getDiagnosticData();
        List<Outcome> outcomes = new ArrayList<>();
        for (String id : simple.getSignatureIdList()) {
            SignatureWrapper signature = diagnostic.getSignatureById(id);
            boolean intact = signature != null && signature.isBLevelTechnicallyValid();
            List<String> chain = new ArrayList<>();
            boolean trusted = false;
            if (simple.getCertificateChain(id) != null) {
                for (XmlCertificate c : simple.getCertificateChain(id).getCertificate()) {
                    chain.add(c.getQualifiedName());
                    trusted |= c.isTrusted();
                }
            }
            List<String> errors = simple.getAdESValidationErrors(id).stream().map(Message::getValue).toList();
            outcomes.add(new Outcome(id, intact, trusted, simple.getIndication(id), simple.getSubIndication(id),
                    simple.getSignedBy(id), simple.getSigningTime(id),
                    simple.getSignatureFormat(id) == null ? null : simple.getSignatureFormat(id).toString(), chain, errors));
        }
        return new Verification(outcomes, reports.getXmlSimpleReport(), null);
    }

    /**
     * DSS's default ETSI policy (its own {@code policy/constraint.xml}, read from the DSS jar); unless revocation is
     * required, the checks that need CRL/OCSP answers are lowered to warnings, since the hub does not fetch them.
     */
    static ValidationPolicy policy(boolean revocationRequired) {
        return revocationRequired ? STRICT.get() : OFFLINE.get();
    }

    private static final java.util.function.Supplier<ValidationPolicy> STRICT = memoize(() -> loadPolicy(true));
    private static final java.util.function.Supplier<ValidationPolicy> OFFLINE = memoize(() -> loadPolicy(false));

    private static <T> java.util.function.Supplier<T> memoize(java.util.function.Supplier<T> loader) {
        return new java.util.function.Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = loader.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }

    private static ValidationPolicy loadPolicy(boolean revocationRequired) {
        ConstraintsParameters constraints;
        try (InputStream in = ValidationPolicyFacade.class.getResourceAsStream(DEFAULT_POLICY)) {
            constraints = ValidationPolicyFacade.newFacade().unmarshall(in);
        } catch (Exception e) {
            throw new IllegalStateException("DSS's default validation policy " + DEFAULT_POLICY + " cannot be read: " + e.getMessage(), e);
        }
        if (!revocationRequired) {
            for (SignatureConstraints signature : List.of(constraints.getSignatureConstraints(), constraints.getCounterSignatureConstraints())) {
                if (signature != null && signature.getBasicSignatureConstraints() != null) {
                    offline(signature.getBasicSignatureConstraints().getSigningCertificate());
                    offline(signature.getBasicSignatureConstraints().getCACertificate());
                }
            }
        }
        return new EtsiValidationPolicy(constraints);
    }

    private static void offline(CertificateConstraints certificate) {
        if (certificate == null) {
            return;
        }
        for (LevelConstraint c : new LevelConstraint[]{certificate.getRevocationDataAvailable(),
                certificate.getAcceptableRevocationDataFound(), certificate.getRevocationIssuerNotExpired()}) {
            if (c != null && c.getLevel() == Level.FAIL) {
                c.setLevel(Level.WARN);
            }
        }
    }

    /** @param problem why nothing could be validated, or null */
    public record Verification(List<Outcome> outcomes, String simpleReportXml, String problem) {
    }

    static List<Finding> findings(Verification verification, boolean requireTrust) {
        List<Finding> findings = new ArrayList<>();
        if (verification.problem() != null) {
            findings.add(new Finding(LAYER, "SIGNATURE-MISSING", Finding.Severity.ERROR,
                    "No signature could be verified: " + verification.problem(), null, null));
            return findings;
        }
        if (verification.outcomes().isEmpty()) {
            findings.add(new Finding(LAYER, "SIGNATURE-MISSING", Finding.Severity.ERROR,
                    "The document carries no signature", null, null));
            return findings;
        }
        for (Outcome o : verification.outcomes()) {
            String what = "Signature " + o.id() + " (" + o.format() + ") by " + o.signer()
                    + (o.signingTime() == null ? "" : ", signed " + DateTimeFormatter.ISO_INSTANT.format(o.signingTime().toInstant()));
            String verdict = o.indication() + (o.subIndication() == null ? "" : "/" + o.subIndication());
            String reasons = o.errors().isEmpty() ? "" : ": " + o.errors().stream().collect(Collectors.joining("; "));
            if (!o.intact() || o.indication() == Indication.TOTAL_FAILED || o.indication() == Indication.FAILED) {
                findings.add(new Finding(LAYER, "SIGNATURE-INVALID", Finding.Severity.ERROR,
                        what + " does not verify: the signed content or the signature was changed, or the key does not match ("
                                + verdict + ")" + reasons, o.id(), null));
                continue;
            }
            String chain = "chain " + String.join(" > ", o.chain());
            boolean plain = o.format() != null && o.format().endsWith("NOT-ETSI");
            if (plain && o.trusted() && o.subIndication() == SubIndication.SIG_CONSTRAINTS_FAILURE) {
                // XMLDSig / JWS / CMS without AdES properties: DSS's AdES policy wants a signed signing time, which
                // such a signature cannot carry; the signature value, references and trusted chain did verify
                findings.add(new Finding(LAYER, "SIGNATURE-VALID", Finding.Severity.INFO,
                        what + " is cryptographically valid, " + chain + " (trusted); a plain " + o.format()
                                + " signature carries no signed signing time, so DSS's AdES policy says " + verdict, o.id(), null));
            } else if (o.indication() == Indication.TOTAL_PASSED || o.indication() == Indication.PASSED) {
                findings.add(new Finding(LAYER, "SIGNATURE-VALID", Finding.Severity.INFO,
                        what + " is valid (" + verdict + "), " + chain + (o.trusted() ? " (trusted)" : ""), o.id(), null));
            } else {
                findings.add(new Finding(LAYER, o.trusted() ? "SIGNATURE-INDETERMINATE" : "SIGNATURE-UNTRUSTED",
                        requireTrust ? Finding.Severity.ERROR : Finding.Severity.WARNING,
                        what + " is intact but not confirmed (" + verdict + "), " + chain
                                + (o.trusted() ? "" : ", which reaches no trusted certificate") + reasons, o.id(), null));
            }
        }
        return findings;
    }
}
