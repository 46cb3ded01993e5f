package io.einvoicinghub.italy;

import com.fasterxml.jackson.databind.JsonNode;
import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.model.InMemoryDocument;
import io.einvoicinghub.signing.CommandLineTools;
import io.einvoicinghub.signing.TestPki;
import io.einvoicinghub.signing.VerifySignatureAction;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.einvoicinghub.italy.ItalyTestHub.artifact;
import static io.einvoicinghub.italy.ItalyTestHub.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The it-fatturapa feature end to end in the hub, with the default signature CAdES (hub.italy.signature=cades) and
 * XAdES chosen per document by the ERP (context.variables.sdiSignature):
 * ERP submission → FatturaPA → official XSD → SDI file name → .xml.p7m signed with it-signing-&lt;legal entity&gt;
 * → the signed file is the result. The result is downloaded and verified outside the hub by DSS and by
 * {@code openssl cms -verify}; the FatturaPA inside it is valid against the official XSD and carries the file's
 * progressive. The XAdES file is verified by DSS and {@code xmlsec1 --verify}, and stays valid against the XSD.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=2", "hub.italy.signature=cades"})
class FatturaPaFeatureTest {

    static final Path DATA_DIR = ItalyTestHub.temp("hub-italy-");
    static final Pattern XML_NAME = Pattern.compile("IT01234567897_([0-9A-Z]{5})\\.xml");
    static final Pattern P7M_NAME = Pattern.compile("IT01234567897_([0-9A-Z]{5})\\.xml\\.p7m");
    static TestPki pki;

    @LocalServerPort
    int port;
    ItalyTestHub hub;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        pki = ItalyTestHub.pki(DATA_DIR.resolve("secrets"), TestPki.RSA, "IT01", "IT03", "IT06", "IT07", "IT08");
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.secrets.local.dir", () -> DATA_DIR.resolve("secrets").toString());
    }

    @BeforeEach
    void client() {
        hub = new ItalyTestHub(port);
    }

    @Test
    void b2bInvoiceEndsAsASignedP7mNamedForSdiThatVerifiesWithDssAndOpenssl() throws Exception {
        JsonNode done = hub.awaitTerminal(hub.submit(Path.of("samples/fatturapa/01-b2b-standard-rate.json"), null));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(done.path("feature").toString()).contains("it-fatturapa");
        assertThat(values(done.path("steps"), "name"))
                .containsSubsequence("transform", "validate", "transmitter", "progressive", "file-name", "sign", "result");
        JsonNode result = artifact(done, "result");
        Matcher name = P7M_NAME.matcher(result.path("name").asText());
        assertThat(name.matches()).as(result.toString()).isTrue();
        byte[] p7m = hub.download(result.path("href").asText());

        VerifySignatureAction.Verification dss = VerifySignatureAction.verify(
                new InMemoryDocument(p7m, result.path("name").asText()), List.of(), List.of(pki.caCertificate), false);
        assertThat(dss.outcomes()).hasSize(1);
        assertThat(dss.outcomes().get(0).indication()).isEqualTo(Indication.TOTAL_PASSED);
        assertThat(dss.outcomes().get(0).signer()).contains(TestPki.RSA);

        assumeTrue(CommandLineTools.available("openssl"), "openssl is not installed (.ci/run installs it)");
        Path dir = Files.createDirectories(DATA_DIR.resolve("verify"));
        Path file = Files.write(dir.resolve(result.path("name").asText()), p7m);
        Path ca = Files.writeString(dir.resolve("ca.pem"), pki.caPem());
        Path content = dir.resolve("content.xml");
        CommandLineTools.Result ok = CommandLineTools.run(dir, List.of("openssl", "cms", "-verify", "-inform", "DER", "-in",
                file.toString(), "-CAfile", ca.toString(), "-binary", "-out", content.toString()));
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("Verification successful");

        byte[] xml = Files.readAllBytes(content);
        assertThat(UnifiedToFatturaPaTest.blocking(xml)).isEmpty();
        assertThat(UnifiedToFatturaPaTest.x(xml, UnifiedToFatturaPaTest.TRASMISSIONE + "ProgressivoInvio")).isEqualTo(name.group(1));
        assertThat(UnifiedToFatturaPaTest.x(xml, UnifiedToFatturaPaTest.DGD + "ImportoTotaleDocumento")).isEqualTo("916.22");
        // the unsigned file is kept under the SDI name too
        assertThat(values(done.path("artifacts"), "name")).contains("fatturapa.xml",
                "IT01234567897_" + name.group(1) + "-unsigned.xml");
    }

    @Test
    void everySampleIsSignedAndEachFileOfOneTransmitterHasItsOwnProgressive() {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("samples/fatturapa"))) {
            samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(samples).hasSize(11);
        List<String> ids = samples.stream().map(s -> hub.submit(s, null)).toList();
        List<String> names = ids.stream().map(hub::awaitTerminal).map(done -> {
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
            return artifact(done, "result").path("name").asText();
        }).toList();
        assertThat(names).allMatch(n -> n.matches("IT\\d{11}_[0-9A-Z]{5}\\.xml\\.p7m"));
        assertThat(names).doesNotHaveDuplicates();
        // the progressive is per transmitter, whichever legal entity submits: two legal entities, one sequence
        List<String> seller = names.stream().filter(n -> n.startsWith("IT01234567897_")).toList();
        assertThat(seller).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void sameTransmitterForTwoLegalEntitiesNeverGetsTheSameFileName() {
        String a = hub.submit(Path.of("samples/fatturapa/10-multi-rate.json"), "IT01");
        String b = hub.submit(Path.of("samples/fatturapa/10-multi-rate.json"), "IT03");
        String first = artifact(hub.awaitTerminal(a), "result").path("name").asText();
        String second = artifact(hub.awaitTerminal(b), "result").path("name").asText();
        assertThat(first).startsWith("IT01234567897_");
        assertThat(second).startsWith("IT01234567897_").isNotEqualTo(first);
    }

    @Test
    void invalidDocumentFailsAtValidationWithTheXsdMessageMappedToItsFieldAndIsNeitherNumberedNorSigned() {
        JsonNode done = hub.awaitTerminal(hub.submit(Path.of("samples/fatturapa/invalid/03-postal-code-and-unit-code.json"), null));
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        List<JsonNode> xsd = ItalyTestHub.findings(done).stream().filter(f -> f.path("ruleId").asText().equals("XSD")).toList();
        assertThat(xsd).isNotEmpty();
        assertThat(xsd).extracting(f -> f.path("sourceField").asText())
                .contains("/document/seller/address/postalCode", "/document/lines/1/unitCode");
        assertThat(xsd).anySatisfy(f -> assertThat(f.path("message").asText()).contains("2012"));
        assertThat(xsd).allSatisfy(f -> assertThat(f.path("location").asText()).matches(".*\\d+:\\d+.*"));
        assertThat(values(done.path("steps"), "name")).doesNotContain("progressive", "sign");
        assertThat(values(done.path("artifacts"), "kind")).doesNotContain("result");
    }

    @Test
    void legalEntityWithoutASigningCertificateFailsAtTheSignStepNamingTheCertificate() {
        JsonNode done = hub.awaitTerminal(hub.submit(Path.of("samples/fatturapa/01-b2b-standard-rate.json"), "IT99"));
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("sign").contains("it-signing-IT99");
        assertThat(values(done.path("artifacts"), "kind")).doesNotContain("result");
    }


    @Test
    void contextVariableChoosesXadesAndTheSignedXmlVerifiesWithDssAndXmlsec1AndStaysValidAgainstTheXsd() throws Exception {
        JsonNode done = hub.awaitTerminal(hub.submit(Path.of("samples/fatturapa/02-pa-split-payment.json"), null,
                Map.of("sdiSignature", "xades")));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        JsonNode result = artifact(done, "result");
        Matcher name = XML_NAME.matcher(result.path("name").asText());
        assertThat(name.matches()).as(result.toString()).isTrue();
        byte[] signed = hub.download(result.path("href").asText());
        String text = new String(signed, StandardCharsets.UTF_8);
        assertThat(text).contains("FatturaElettronica").contains("SignedProperties");
        // FPA12 with the signature as the root's last child, which the FatturaPA XSD allows
        assertThat(UnifiedToFatturaPaTest.blocking(signed)).isEmpty();
        assertThat(UnifiedToFatturaPaTest.x(signed, "/p:FatturaElettronica/@versione")).isEqualTo("FPA12");
        assertThat(UnifiedToFatturaPaTest.x(signed, "local-name(/p:FatturaElettronica/*[last()])")).isEqualTo("Signature");
        assertThat(UnifiedToFatturaPaTest.x(signed, UnifiedToFatturaPaTest.TRASMISSIONE + "ProgressivoInvio")).isEqualTo(name.group(1));

        VerifySignatureAction.Verification dss = VerifySignatureAction.verify(
                new InMemoryDocument(signed, result.path("name").asText()), List.of(), List.of(pki.caCertificate), false);
        assertThat(dss.outcomes()).hasSize(1);
        assertThat(dss.outcomes().get(0).indication()).isEqualTo(Indication.TOTAL_PASSED);

        assumeTrue(CommandLineTools.available("xmlsec1"), "xmlsec1 is not installed (.ci/run installs it)");
        Path dir = Files.createDirectories(DATA_DIR.resolve("verify-xades"));
        Path ca = Files.writeString(dir.resolve("ca.pem"), pki.caPem());
        Path file = Files.write(dir.resolve(result.path("name").asText()), signed);
        CommandLineTools.Result ok = xmlsec1(dir, ca, file);
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("OK");
        // one changed amount: xmlsec1 refuses
        String tampered = text.replace("<ImportoTotaleDocumento>3050.00</ImportoTotaleDocumento>",
                "<ImportoTotaleDocumento>3.05</ImportoTotaleDocumento>");
        assertThat(tampered).isNotEqualTo(text);
        CommandLineTools.Result bad = xmlsec1(dir, ca, Files.writeString(dir.resolve("tampered.xml"), tampered));
        assertThat(bad.exitCode()).as(bad.output()).isNotZero();
    }

    @Test
    void unknownSignatureKindFailsTheRunWithTheReasonAndSignsNothing() {
        JsonNode done = hub.awaitTerminal(hub.submit(Path.of("samples/fatturapa/01-b2b-standard-rate.json"), null,
                Map.of("sdiSignature", "pades")));
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("pades").contains("neither xades nor cades");
        assertThat(values(done.path("artifacts"), "kind")).doesNotContain("result");
    }

    static CommandLineTools.Result xmlsec1(Path dir, Path ca, Path file) throws Exception {
        return CommandLineTools.run(dir, List.of("xmlsec1", "--verify", "--trusted-pem", ca.toString(),
                "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", file.toString()));
    }
}
