package io.einvoicinghub.signing;

import io.einvoicinghub.processing.action.TrialSteps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub's XML signatures checked by a verifier that shares no code with it: Debian's {@code xmlsec1} (libxmlsec1
 * on OpenSSL), trusting only the test CA. {@code .ci/run} installs xmlsec1 when it is absent.
 */
class XmlSignatureXmlsec1Test {

    @TempDir
    static Path dir;
    static TestPki pki;
    static SignXmlAction sign;
    static Path caPem;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(CommandLineTools.available("xmlsec1"), "xmlsec1 is not installed (.ci/run installs Debian's package)");
        pki = new TestPki(dir.resolve("secrets"));
        sign = new SignXmlAction(pki.signingCertificates(30));
        caPem = Files.writeString(dir.resolve("ca.pem"), pki.caPem());
    }

    private Path signed(String certificate, String level, String name) throws Exception {
        TrialSteps steps = SignXmlTest.invoice();
        steps.run(sign, SignXmlTest.params("certificate", certificate, "outputName", name, "level", level));
        return Files.write(dir.resolve(name), steps.current());
    }

    private CommandLineTools.Result xmlsec1(Path file, String... extra) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("xmlsec1", "--verify", "--trusted-pem", caPem.toString()));
        command.addAll(List.of(extra));
        command.add(file.toString());
        return CommandLineTools.run(dir, command);
    }

    @Test
    void xmlDsigEnvelopedRsaAndEcdsaVerifyWithXmlsec1() throws Exception {
        for (String certificate : List.of(TestPki.RSA, TestPki.EC)) {
            CommandLineTools.Result result = xmlsec1(signed(certificate, SignXmlAction.XMLDSIG, "dsig-" + certificate + ".xml"));
            assertThat(result.exitCode()).as(certificate + ": " + result.output()).isZero();
            assertThat(result.output()).contains("OK");
        }
    }

    @Test
    void xadesEnvelopedVerifiesWithXmlsec1() throws Exception {
        Path file = signed(TestPki.EC, SignXmlAction.XADES_B_B, "xades-ec.xml");
        CommandLineTools.Result result = xmlsec1(file, "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void tamperedSignedInvoiceFailsXmlsec1() throws Exception {
        Path file = signed(TestPki.RSA, SignXmlAction.XMLDSIG, "dsig-tampered.xml");
        String tampered = Files.readString(file).replace("<cbc:ID>12115118</cbc:ID>", "<cbc:ID>99999999</cbc:ID>");
        assertThat(tampered).contains("99999999");
        Files.writeString(file, tampered, StandardCharsets.UTF_8);
        CommandLineTools.Result result = xmlsec1(file);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).containsIgnoringCase("fail");
    }
}
