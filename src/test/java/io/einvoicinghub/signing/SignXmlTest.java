package io.einvoicinghub.signing;

import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.TrialSteps;
import io.einvoicinghub.validation.Finding;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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
 * by DSS's validation report through verify-signature; a changed byte fails; an expired certificate refuses to sign;
 * part of a document signed by id or XPath, the signature placed where asked. Every case runs twice: keys from the
 * local keystore and from Azure Key Vault ({@link SigningStore}).
 */
class SignXmlTest {

    static final byte[] INVOICE = read("src/test/resources/public-samples/cen-en16931/ubl/ubl-tc434-example1.xml");

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

    static void assertRules(List<Finding> findings, String... ruleIds) {
        assertThat(findings).as(findings.toString()).extracting(Finding::ruleId).containsExactly(ruleIds);
    }

    /** The cases below, with keys from the local keystore. */
    @Nested
    class LocalKeystore extends Cases {
        LocalKeystore() {
            super(SigningStore.LOCAL_KEYSTORE);
        }
    }

    /** The same cases, with every key and certificate read from Azure Key Vault (the TLS test server, real SDK). */
    @Nested
    class KeyVault extends Cases {
        KeyVault() {
            super(SigningStore.KEY_VAULT);
        }
    }

    abstract static class Cases {
        final SigningStore store;
        final SignXmlAction sign;
        final VerifySignatureAction verify;

        Cases(SigningStore store) {
            this.store = store;
            this.sign = new SignXmlAction(store.certificates());
            this.verify = new VerifySignatureAction(store.certificates());
        }

        List<Finding> verified(TrialSteps steps, String... extra) throws Exception {
            int before = steps.trial().findings().size();
            Map<String, String> p = params("trustedCertificates", TestPki.CA);
            p.putAll(params(extra));
            steps.run(verify, p);
            return steps.trial().findings().subList(before, steps.trial().findings().size());
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
                    .hasMessageContaining(SigningCertificates.day(store.pki().certificates.get(TestPki.EXPIRED).getNotAfter().toInstant()).toString());
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

        // --- what to sign and where the signature goes (enveloped) ---

        static final String ENVELOPE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<env:Envelope xmlns:env=\"urn:einvoicinghub:test:envelope\"><env:Header><env:From>ERP-1</env:From>"
                + "<env:Security/></env:Header><env:Body Id=\"invoice-1\"><Invoice><ID>12115118</ID><Total>1225.00</Total>"
                + "</Invoice></env:Body></env:Envelope>";
        static final String HEADER = "/*/*[local-name()='Header']";

        static TrialSteps envelope(String xml) {
            return new TrialSteps().document("envelope.xml", "application/xml", xml.getBytes(StandardCharsets.UTF_8));
        }

        /** Signed part intact, unsigned part changed: still valid; signed part changed: invalid. */
        void onlyTheReferencedPartIsProtected(String level, String signed) throws Exception {
            assertRules(verified(envelope(signed)), "SIGNATURE-VALID");
            String outsideChanged = signed.replace("ERP-1", "ERP-2");
            assertThat(outsideChanged).isNotEqualTo(signed);
            assertThat(verified(envelope(outsideChanged))).as(level + ": the header is not signed")
                    .extracting(Finding::ruleId).containsExactly("SIGNATURE-VALID");
            String insideChanged = signed.replace("<Total>1225.00</Total>", "<Total>1.00</Total>");
            assertThat(insideChanged).isNotEqualTo(signed);
            assertThat(verified(envelope(insideChanged))).as(level + ": the body is signed")
                    .extracting(Finding::ruleId).containsExactly("SIGNATURE-INVALID");
        }

        @Test
        void signsOnlyTheElementWithTheIdWithTheSignatureAsFirstChildOfTheHeader() throws Exception {
            for (String level : List.of(SignXmlAction.XADES_B_B, SignXmlAction.XMLDSIG)) {
                TrialSteps steps = envelope(ENVELOPE);
                steps.run(sign, params("certificate", TestPki.EC, "outputName", "signed.xml", "level", level,
                        "referenceId", "invoice-1", "parentXPath", HEADER, "placement", "first-child"));
                String signed = new String(steps.current(), StandardCharsets.UTF_8);
                assertThat(signed).as(level).contains("URI=\"#invoice-1\"");
                int signature = signed.indexOf(":Signature ");
                assertThat(signature).as(level).isGreaterThan(signed.indexOf("<env:Header>")).isLessThan(signed.indexOf("<env:From>"));
                onlyTheReferencedPartIsProtected(level, signed);
            }
        }

        @Test
        void signsOnlyWhatTheXPathSelectsWithTheSignatureAfterTheHeader() throws Exception {
            for (String level : List.of(SignXmlAction.XADES_B_B, SignXmlAction.XMLDSIG)) {
                TrialSteps steps = envelope(ENVELOPE);
                steps.run(sign, params("certificate", TestPki.RSA, "outputName", "signed.xml", "level", level,
                        "referenceXPath", "/*/*[local-name()='Body']", "parentXPath", HEADER, "placement", "after"));
                String signed = new String(steps.current(), StandardCharsets.UTF_8);
                assertThat(signed).as(level).contains("http://www.w3.org/2002/06/xmldsig-filter2");
                int signature = signed.indexOf(":Signature ");
                assertThat(signature).as(level).isGreaterThan(signed.indexOf("</env:Header>")).isLessThan(signed.indexOf("<env:Body"));
                onlyTheReferencedPartIsProtected(level, signed);
            }
        }

        @Test
        void signatureInsideTheElementItSignsStillVerifies() throws Exception {
            // the enveloped transform takes the signature out of the signed element before digesting
            TrialSteps steps = envelope(ENVELOPE);
            steps.run(sign, params("certificate", TestPki.RSA, "outputName", "signed.xml", "referenceId", "invoice-1",
                    "parentXPath", "/*/*[local-name()='Body']"));
            String signed = new String(steps.current(), StandardCharsets.UTF_8);
            assertThat(signed.indexOf(":Signature ")).isGreaterThan(signed.indexOf("<env:Body"));
            onlyTheReferencedPartIsProtected(SignXmlAction.XADES_B_B, signed);
        }

        @Test
        void partialSigningParametersAreRefusedWhereTheyCannotApply() {
            assertThatThrownBy(() -> envelope(ENVELOPE).run(sign, params("certificate", TestPki.RSA, "outputName", "x.xml",
                    "packaging", "enveloping", "referenceId", "invoice-1")))
                    .isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("apply to enveloped signatures");
            assertThatThrownBy(() -> envelope(ENVELOPE).run(sign, params("certificate", TestPki.RSA, "outputName", "x.xml",
                    "referenceId", "no-such-id")))
                    .hasMessageContaining("no element of the document has Id, ID or id 'no-such-id'");
            assertThatThrownBy(() -> envelope(ENVELOPE).run(sign, params("certificate", TestPki.RSA, "outputName", "x.xml",
                    "referenceXPath", "/*/*[local-name()='Nothing']")))
                    .hasMessageContaining("selects no element");
            assertThatThrownBy(() -> envelope(ENVELOPE).run(sign, params("certificate", TestPki.RSA, "outputName", "x.xml",
                    "placement", "after")))
                    .hasMessageContaining("placement after needs parentXPath");
        }
    }
}
