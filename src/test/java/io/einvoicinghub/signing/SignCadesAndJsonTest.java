package io.einvoicinghub.signing;

import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.TrialSteps;
import io.einvoicinghub.validation.Finding;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.einvoicinghub.signing.SignXmlTest.assertRules;
import static io.einvoicinghub.signing.SignXmlTest.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * sign-cades (CAdES-B-B enveloping .p7m and detached) and sign-json (JWS compact, detached payload; JAdES-B-B in each
 * serialization), RSA and ECDSA, each verified by DSS through verify-signature; the .p7m files also by
 * {@code openssl cms -verify}; a changed byte fails both. Every case runs with keys from the local keystore and
 * from Azure Key Vault ({@link SigningStore}).
 */
class SignCadesAndJsonTest {

    static final byte[] JSON = SignXmlTest.read("samples/valid/02-standard-and-reduced-rates.json");

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

    static byte[] replace(byte[] content, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + f.length <= content.length; i++) {
            if (Arrays.equals(content, i, i + f.length, f, 0, f.length)) {
                byte[] copy = content.clone();
                System.arraycopy(t, 0, copy, i, t.length);
                return copy;
            }
        }
        throw new AssertionError(from + " not found");
    }

    abstract static class Cases {
        final TestPki pki;
        final SignCadesAction cades;
        final SignJsonAction json;
        final SignXmlAction xml;
        final VerifySignatureAction verify;
        @TempDir
        Path dir;

        Cases(SigningStore store) {
            this.pki = store.pki();
            this.cades = new SignCadesAction(store.certificates());
            this.json = new SignJsonAction(store.certificates());
            this.xml = new SignXmlAction(store.certificates());
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
        void cadesEnvelopingP7mRsaAndEcdsaVerifyWithDssAndOpenssl() throws Exception {
            assumeTrue(CommandLineTools.available("openssl"), "openssl is not installed");
            Path ca = Files.writeString(dir.resolve("ca.pem"), pki.caPem());
            for (String certificate : List.of(TestPki.RSA, TestPki.EC)) {
                TrialSteps steps = SignXmlTest.invoice();
                steps.run(cades, params("certificate", certificate, "outputName", "invoice.xml.p7m"));
                byte[] p7m = steps.current();
                assertRules(verified(steps), "SIGNATURE-VALID");
                assertThat(steps.state().variables).containsEntry("signature.format", "CAdES-BASELINE-B");
                assertThat(steps.state().variables.get("signature.signer")).contains(certificate);
                assertThat(steps.state().variables).containsEntry("signature.trusted", "true").containsEntry("signature.valid", "true");
                assertThat(steps.state().variables.get("signature.signingTime")).isNotBlank();
                assertThat(steps.state().variables.get("signature.chain")).contains("Hub Test CA");

                Path file = Files.write(dir.resolve(certificate + ".p7m"), p7m);
                Path out = dir.resolve(certificate + ".out.xml");
                CommandLineTools.Result ok = CommandLineTools.run(dir, List.of("openssl", "cms", "-verify", "-inform", "DER", "-in",
                        file.toString(), "-CAfile", ca.toString(), "-binary", "-out", out.toString()));
                assertThat(ok.exitCode()).as(ok.output()).isZero();
                assertThat(ok.output()).contains("Verification successful");
                assertThat(Files.readAllBytes(out)).isEqualTo(SignXmlTest.INVOICE);

                // one changed digit inside the enveloped invoice: openssl and DSS both refuse
                byte[] tampered = replace(p7m, "12115118", "12115119");
                Path bad = Files.write(dir.resolve(certificate + "-tampered.p7m"), tampered);
                CommandLineTools.Result failed = CommandLineTools.run(dir, List.of("openssl", "cms", "-verify", "-inform", "DER", "-in",
                        bad.toString(), "-CAfile", ca.toString(), "-binary", "-out", dir.resolve("bad.out").toString()));
                assertThat(failed.exitCode()).as(failed.output()).isNotZero();
                assertThat(failed.output()).containsIgnoringCase("failure");
                TrialSteps check = new TrialSteps().document("invoice.xml.p7m", "application/pkcs7-mime", tampered);
                assertRules(verified(check), "SIGNATURE-INVALID");
            }
        }

        @Test
        void cadesDetachedVerifiesWithDssAndOpenssl() throws Exception {
            assumeTrue(CommandLineTools.available("openssl"), "openssl is not installed");
            Path ca = Files.writeString(dir.resolve("ca-detached.pem"), pki.caPem());
            TrialSteps steps = SignXmlTest.invoice();
            steps.run(cades, params("certificate", TestPki.EC, "outputName", "invoice.xml.p7s", "packaging", "detached",
                    "digestAlgorithm", "SHA512"));
            assertThat(steps.current()).isEqualTo(SignXmlTest.INVOICE);
            assertRules(verified(steps, "source", "detached"), "SIGNATURE-VALID");
            Path p7s = Files.write(dir.resolve("invoice.xml.p7s"), steps.file("invoice.xml.p7s"));
            Path content = Files.write(dir.resolve("invoice.xml"), SignXmlTest.INVOICE);
            CommandLineTools.Result ok = CommandLineTools.run(dir, List.of("openssl", "cms", "-verify", "-inform", "DER", "-in",
                    p7s.toString(), "-content", content.toString(), "-CAfile", ca.toString(), "-binary", "-out", "/dev/null"));
            assertThat(ok.exitCode()).as(ok.output()).isZero();
        }

        @Test
        void jadesEveryPackagingAndSerialization() throws Exception {
            for (String serialization : List.of("compact", "json-flattened", "json")) {
                for (String certificate : List.of(TestPki.RSA, TestPki.EC)) {
                    TrialSteps steps = new TrialSteps().document("document.json", "application/json", JSON);
                    steps.run(json, params("certificate", certificate, "outputName", "document.jades", "serialization", serialization));
                    assertRules(verified(steps), "SIGNATURE-VALID");
                    assertThat(steps.state().variables).as(serialization).containsEntry("signature.format", "JAdES-BASELINE-B");
                    assertThat(steps.state().variables.get("signature.signer")).contains(certificate);
                    assertThat(steps.state().variables.get("signature.signingTime")).as("JAdES sigT").isNotBlank();
                    assertThat(steps.state().variables).containsEntry("signature.trusted", "true");
                }
            }
            TrialSteps detached = new TrialSteps().document("document.json", "application/json", JSON);
            detached.run(json, params("certificate", TestPki.EC, "outputName", "document.jades", "detachedPayload", "true"));
            assertThat(detached.current()).isEqualTo(JSON);
            String compact = new String(detached.file("document.jades"), StandardCharsets.US_ASCII);
            assertThat(compact).contains("..");
            assertRules(verified(detached, "source", "detached"), "SIGNATURE-VALID");
        }

        @Test
        void rsassaPssSignsEveryEtsiKindWithSha384() throws Exception {
            TrialSteps xades = SignXmlTest.invoice();
            xades.run(xml, params("certificate", TestPki.RSA, "outputName", "invoice-signed.xml", "signatureAlgorithm", "RSASSA-PSS",
                    "digestAlgorithm", "SHA384"));
            assertThat(new String(xades.current(), StandardCharsets.UTF_8)).contains("http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1")
                    .contains("http://www.w3.org/2001/04/xmldsig-more#sha384");
            assertRules(verified(xades), "SIGNATURE-VALID");

            TrialSteps p7m = SignXmlTest.invoice();
            p7m.run(cades, params("certificate", TestPki.RSA, "outputName", "invoice.xml.p7m", "signatureAlgorithm", "RSASSA-PSS",
                    "digestAlgorithm", "SHA384"));
            assertRules(verified(p7m), "SIGNATURE-VALID");

            TrialSteps jades = new TrialSteps().document("document.json", "application/json", JSON);
            jades.run(json, params("certificate", TestPki.RSA, "outputName", "document.jades", "signatureAlgorithm", "RSASSA-PSS",
                    "digestAlgorithm", "SHA384"));
            String header = new String(Base64.getUrlDecoder().decode(new String(jades.current(), StandardCharsets.US_ASCII).split("\\.")[0]),
                    StandardCharsets.UTF_8);
            assertThat(header).contains("\"alg\":\"PS384\"");
            assertRules(verified(jades), "SIGNATURE-VALID");

            // plain XMLDSig has no PSS here, and an EC key cannot sign RSASSA-PSS: both refused with the reason
            assertThatThrownBy(() -> SignXmlTest.invoice().run(xml, params("certificate", TestPki.RSA, "outputName", "x.xml",
                    "level", "XMLDSig", "signatureAlgorithm", "RSASSA-PSS")))
                    .isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("RSASSA-PSS is offered for XAdES-B-B");
            assertThatThrownBy(() -> SignXmlTest.invoice().run(cades, params("certificate", TestPki.EC, "outputName", "x.p7m",
                    "signatureAlgorithm", "RSASSA-PSS")))
                    .isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("does not fit");
        }

        @Test
        void jwsCompactAndDetachedPayload() throws Exception {
            for (String certificate : List.of(TestPki.RSA, TestPki.EC)) {
                TrialSteps steps = new TrialSteps().document("document.json", "application/json", JSON);
                steps.run(json, params("certificate", certificate, "outputName", "document.jws", "level", "JWS"));
                String jws = new String(steps.current(), StandardCharsets.US_ASCII);
                String[] parts = jws.split("\\.");
                assertThat(parts).hasSize(3);
                assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                        .isEqualTo(new String(JSON, StandardCharsets.UTF_8));
                assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                        .contains(certificate.equals(TestPki.EC) ? "ES256" : "RS256").contains("x5c");
                assertRules(verified(steps), "SIGNATURE-VALID");
                assertThat(steps.state().variables.get("signature.signer")).contains(certificate);

                // another payload under the same header and signature
                String other = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString("{\"total\":\"1.00\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
                TrialSteps check = new TrialSteps().document("document.jws", "application/jose", other.getBytes(StandardCharsets.US_ASCII));
                assertRules(verified(check), "SIGNATURE-INVALID");
            }
            TrialSteps detached = new TrialSteps().document("document.json", "application/json", JSON);
            detached.run(json, params("certificate", TestPki.RSA, "outputName", "document.jws", "level", "JWS", "detachedPayload", "true"));
            assertThat(new String(detached.file("document.jws"), StandardCharsets.US_ASCII)).contains("..");
            assertRules(verified(detached, "source", "detached"), "SIGNATURE-VALID");
            assertThatThrownBy(() -> new TrialSteps().document("d.json", "application/json", JSON)
                    .run(json, params("certificate", TestPki.RSA, "outputName", "x", "level", "JWS", "serialization", "json")))
                    .isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("compact");
        }

        @Test
        void expiredCertificateRefusesEveryKind() {
            for (var action : List.of(cades, json)) {
                assertThatThrownBy(() -> SignXmlTest.invoice().run(action, params("certificate", TestPki.EXPIRED, "outputName", "x")))
                        .as(action.spec().name()).isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("expired on");
            }
        }
    }
}
