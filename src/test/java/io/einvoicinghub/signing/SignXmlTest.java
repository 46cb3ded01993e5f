package io.einvoicinghub.signing;

import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.TrialSteps;
import io.einvoicinghub.validation.Finding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * sign-xml then verify-signature on a CEN EN 16931 UBL example: XAdES-B-B enveloped / enveloping / detached and
 * plain XMLDSig, RSA and ECDSA, keys from the keystore and from a base64 PKCS#12 secret. Each signature is checked
 * by DSS's validation report through verify-signature; a changed byte fails; an expired certificate refuses to sign.
 */
class SignXmlTest {

    static final byte[] INVOICE = read("src/test/resources/public-samples/cen-en16931/ubl/ubl-tc434-example1.xml");

    @TempDir
    static Path dir;
    static TestPki pki;
    static SignXmlAction sign;
    static VerifySignatureAction verify;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki(dir.resolve("secrets"));
        SigningCertificates certificates = pki.signingCertificates(30);
        sign = new SignXmlAction(certificates);
        verify = new VerifySignatureAction(certificates);
    }

    static byte[] read(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TrialSteps invoice() {
        return new TrialSteps().document("invoice.xml", "application/xml", INVOICE);
    }

    static Map<String, String> params(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static List<Finding> verified(TrialSteps steps, String... extra) throws Exception {
        int before = steps.trial().findings().size();
        Map<String, String> p = params("trustedCertificates", TestPki.CA);
        p.putAll(params(extra));
        steps.run(verify, p);
        return steps.trial().findings().subList(before, steps.trial().findings().size());
    }

    static void assertRules(List<Finding> findings, String... ruleIds) {
        assertThat(findings).as(findings.toString()).extracting(Finding::ruleId).containsExactly(ruleIds);
    }

    @Test
    void xadesEnvelopedRsaVerifiesWithDss() throws Exception {
        TrialSteps steps = invoice();
        steps.run(sign, params("certificate", TestPki.RSA, "outputName", "invoice-signed.xml"));
        String signed = new String(steps.current(), StandardCharsets.UTF_8);
        assertThat(signed).contains("SignedProperties").contains("<cbc:ID>12115118</cbc:ID>")
                .contains("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        assertRules(verified(steps), "SIGNATURE-VALID");
        assertThat(steps.state().variables).containsEntry("signature.format", "XAdES-BASELINE-B")
                .containsEntry("signature.valid", "true").containsEntry("signature.trusted", "true")
                .containsEntry("signature.indication", "TOTAL_PASSED");
        assertThat(steps.state().variables.get("signature.signer")).contains(TestPki.RSA);
        assertThat(steps.state().variables.get("signature.chain")).contains("Hub Test CA");
        assertThat(steps.state().variables.get("signature.signingTime")).isNotBlank();
        assertThat(new String(steps.file("signature-validation.xml"), StandardCharsets.UTF_8)).contains("TOTAL_PASSED");
    }

    @Test
    void xadesEnvelopedEcdsaSha384UnderParent() throws Exception {
        TrialSteps steps = invoice();
        steps.run(sign, params("certificate", TestPki.EC, "outputName", "invoice-signed.xml", "digestAlgorithm", "SHA384",
                "parentXPath", "/*/*[local-name()='AccountingSupplierParty']"));
        String signed = new String(steps.current(), StandardCharsets.UTF_8);
        assertThat(signed).contains("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384");
        assertThat(signed.indexOf("Signature ")).isGreaterThan(signed.indexOf("AccountingSupplierParty"))
                .isLessThan(signed.indexOf("</cac:AccountingSupplierParty>"));
        assertRules(verified(steps), "SIGNATURE-VALID");
        assertThat(steps.state().variables.get("signature.signer")).contains(TestPki.EC);
    }

    @Test
    void xadesEnvelopingAndDetached() throws Exception {
        TrialSteps enveloping = invoice();
        enveloping.run(sign, params("certificate", TestPki.RSA, "outputName", "invoice.xades.xml", "packaging", "enveloping"));
        assertThat(new String(enveloping.current(), StandardCharsets.UTF_8)).startsWith("<?xml").contains("ds:Object");
        assertRules(verified(enveloping), "SIGNATURE-VALID");

        TrialSteps detached = invoice();
        detached.run(sign, params("certificate", TestPki.EC, "outputName", "invoice.xml.sig", "packaging", "detached"));
        assertThat(detached.current()).isEqualTo(INVOICE); // the signed document stays current
        assertRules(verified(detached, "source", "detached"), "SIGNATURE-VALID");
        // the detached signature over another document does not verify
        TrialSteps other = new TrialSteps().document("other.xml", "application/xml",
                new String(INVOICE, StandardCharsets.UTF_8).replace("12115118", "12115119").getBytes(StandardCharsets.UTF_8));
        other.state().variables.putAll(detached.state().variables);
        other.trial().addFile(detached.state().variables.get(SigningParameters.DETACHED_SIGNATURE_VARIABLE), "signature",
                "application/xml", detached.file("invoice.xml.sig"));
        assertRules(verified(other, "source", "detached"), "SIGNATURE-INVALID");
    }

    @Test
    void tamperedInvoiceFailsWithAClearFinding() throws Exception {
        for (String level : List.of(SignXmlAction.XADES_B_B, SignXmlAction.XMLDSIG)) {
            TrialSteps steps = invoice();
            steps.run(sign, params("certificate", TestPki.RSA, "outputName", "invoice-signed.xml", "level", level));
            String tampered = new String(steps.current(), StandardCharsets.UTF_8).replace("<cbc:ID>12115118</cbc:ID>", "<cbc:ID>99999999</cbc:ID>");
            assertThat(tampered).contains("99999999");
            TrialSteps check = new TrialSteps().document("invoice-signed.xml", "application/xml", tampered.getBytes(StandardCharsets.UTF_8));
            List<Finding> findings = verified(check);
            assertThat(findings).as(level + findings).extracting(Finding::ruleId).containsExactly("SIGNATURE-INVALID");
            assertThat(findings.get(0).severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(findings.get(0).message()).contains("does not verify").contains("changed");
            assertThat(check.state().blocking).isEqualTo(1);
            assertThat(check.state().variables).containsEntry("signature.valid", "false");
        }
    }

    @Test
    void xmlDsigEnvelopedIsVerifiedByDssAsNotEtsi() throws Exception {
        TrialSteps steps = invoice();
        steps.run(sign, params("certificate", TestPki.EC, "outputName", "invoice-signed.xml", "level", "XMLDSig"));
        String signed = new String(steps.current(), StandardCharsets.UTF_8);
        assertThat(signed).contains("<ds:Signature").doesNotContain("SignedProperties");
        List<Finding> findings = verified(steps);
        assertRules(findings, "SIGNATURE-VALID");
        assertThat(findings.get(0).message()).contains("cryptographically valid").contains("XML-NOT-ETSI");
        assertThat(steps.state().variables).containsEntry("signature.format", "XML-NOT-ETSI")
                .containsEntry("signature.trusted", "true");
    }

    @Test
    void certificateFromABase64Pkcs12Secret() throws Exception {
        TrialSteps steps = invoice();
        steps.run(sign, params("certificate", TestPki.SECRET_RSA, "outputName", "invoice-signed.xml"));
        assertRules(verified(steps), "SIGNATURE-VALID");
        assertThat(steps.state().variables.get("signature.signer")).contains(TestPki.SECRET_RSA);
    }

    @Test
    void untrustedChainIsAWarningOrAnErrorWhenTrustIsRequired() throws Exception {
        TrialSteps steps = invoice();
        steps.run(sign, params("certificate", TestPki.RSA, "outputName", "invoice-signed.xml"));
        steps.run(verify, params());
        assertThat(steps.trial().findings()).extracting(Finding::ruleId).containsExactly("SIGNATURE-UNTRUSTED");
        assertThat(steps.trial().findings().get(0).severity()).isEqualTo(Finding.Severity.WARNING);
        steps.run(verify, params("requireTrustedChain", "true"));
        assertThat(steps.trial().findings().get(1).severity()).isEqualTo(Finding.Severity.ERROR);
    }

    @Test
    void expiredOrMissingCertificateFailsTheStepWithTheReason() {
        assertThatThrownBy(() -> invoice().run(sign, params("certificate", TestPki.EXPIRED, "outputName", "x.xml")))
                .isInstanceOf(StepFailure.Permanent.class)
                .hasMessageContaining("Signing certificate '" + TestPki.EXPIRED + "'").hasMessageContaining("expired on")
                .hasMessageContaining(SigningCertificates.day(pki.certificates.get(TestPki.EXPIRED).getNotAfter().toInstant()).toString());
        assertThatThrownBy(() -> invoice().run(sign, params("certificate", "no-such-cert", "outputName", "x.xml")))
                .isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("'no-such-cert' is missing");
        assertThatThrownBy(() -> invoice().run(sign, params("certificate", TestPki.EC, "outputName", "x.xml", "signatureAlgorithm", "RSA")))
                .isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("does not fit");
    }

    @Test
    void unsignedDocumentIsAnError() throws Exception {
        List<Finding> findings = verified(invoice());
        assertThat(findings).extracting(Finding::ruleId).containsExactly("SIGNATURE-MISSING");
        assertThat(findings.get(0).isBlocking()).isTrue();
    }
}
