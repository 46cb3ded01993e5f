package io.einvoicinghub.sdi;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESService;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import io.einvoicinghub.sdi.simulator.SdiErrors;
import io.einvoicinghub.sdi.simulator.SdiFault;
import io.einvoicinghub.sdi.simulator.SdiScenario;
import io.einvoicinghub.sdi.simulator.SdiSimulator;
import io.einvoicinghub.sdi.simulator.SimulatorPki;
import io.einvoicinghub.signing.VerifySignatureAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLParameters;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDI simulator against its published contract, without the hub: SdIRiceviFile over mutual TLS (a client of
 * another CA is refused in the handshake), SDI's checks with SDI's error codes, message files as MessaggiTypes_v1.1
 * describes them, XAdES-signed, delivered over mutual TLS to a TrasmissioneFatture receiver and named by SDI's rule.
 */
class SdiSimulatorTest {

    private static final Path VALID = Path.of("src/test/resources/sdi/files/IT01234567890_FPR12.xml");
    private static SimulatorPki pki;
    private static SdiSimulator sdi;
    private static HttpsServer transmitter;
    private static final List<SdiSoap.MessageDelivery> received = new CopyOnWriteArrayList<>();
    private static final AtomicInteger progressive = new AtomicInteger(100);

    @BeforeAll
    static void start() throws Exception {
        pki = new SimulatorPki();
        transmitter = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        transmitter.setHttpsConfigurator(new HttpsConfigurator(pki.tls(SimulatorPki.HUB_ENDPOINT)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        transmitter.setExecutor(Executors.newFixedThreadPool(2));
        transmitter.createContext("/TrasmissioneFatture", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                received.add(SdiSoap.parseMessageDelivery(in.readAllBytes()));
                exchange.sendResponseHeaders(202, -1);
            } catch (SdiXml.SdiMessageException e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        transmitter.start();
        sdi = new SdiSimulator(pki.simulatorSettings(URI.create("https://localhost:" + transmitter.getAddress().getPort()
                + "/TrasmissioneFatture"))).notificationDelay(Duration.ofMillis(50)).outcomeDelay(Duration.ofMillis(100)).start(0);
    }

    @AfterAll
    static void stop() {
        sdi.close();
        transmitter.stop(0);
    }

    private SdiClient client() throws Exception {
        return new SdiClient(sdi.endpoint(), pki.tls(SimulatorPki.HUB_CLIENT), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private static String name() {
        return "IT01234567890_" + String.format("%05d", progressive.incrementAndGet()) + ".xml";
    }

    /** The valid sample with a fresh invoice number (SDI refuses the same invoice twice, 00404). */
    private static byte[] invoice(String formato, String number) throws Exception {
        String xml = Files.readString(VALID, StandardCharsets.UTF_8).replace("<Numero>1</Numero>", "<Numero>" + number + "</Numero>");
        if (formato.equals("FPA12")) {
            xml = xml.replace("versione=\"FPR12\"", "versione=\"FPA12\"").replace("<FormatoTrasmissione>FPR12<", "<FormatoTrasmissione>FPA12<")
                    .replace("<CodiceDestinatario>ABC1234<", "<CodiceDestinatario>UFABCD<");
        }
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static List<SdiNotification> messagesFor(String id, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            List<SdiSoap.MessageDelivery> mine = received.stream().filter(m -> m.identificativoSdI().equals(id)).toList();
            if (mine.size() >= count) {
                List<SdiNotification> parsed = new java.util.ArrayList<>();
                for (SdiSoap.MessageDelivery m : mine) {
                    parsed.add(SdiNotification.parse(m.file()));
                }
                return parsed;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + count + " message(s) for " + id + " in time: " + received);
    }

    private static byte[] cades(byte[] content, String signer) throws Exception {
        CAdESService service = new CAdESService(new CommonCertificateVerifier());
        CAdESSignatureParameters parameters = new CAdESSignatureParameters();
        parameters.setSignatureLevel(SignatureLevel.CAdES_BASELINE_B);
        parameters.setSignaturePackaging(SignaturePackaging.ENVELOPING);
        parameters.setDigestAlgorithm(DigestAlgorithm.SHA256);
        parameters.setSigningCertificate(new CertificateToken(pki.identity(signer).certificate()));
        parameters.setCertificateChain(pki.chain(signer).stream().map(CertificateToken::new).toList());
        DSSDocument document = new InMemoryDocument(content);
        ToBeSigned toBeSigned = service.getDataToSign(document, parameters);
        PrivateKey key = pki.identity(signer).keys().getPrivate();
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(toBeSigned.getBytes());
        try (InputStream in = service.signDocument(document, parameters, new SignatureValue(SignatureAlgorithm.RSA_SHA256, s.sign())).openStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void b2bFileIsAcceptedAndItsRicevutaConsegnaFollowsTheContract() throws Exception {
        String name = name();
        SdiSoap.ReceiptAnswer answer = client().send(name, invoice("FPR12", "101"));

        assertThat(answer.identificativoSdI()).matches("\\d{1,12}");
        assertThat(answer.dataOraRicezione()).isNotBlank();
        List<SdiNotification> messages = messagesFor(answer.identificativoSdI(), 1);
        assertThat(messages.get(0).type()).isEqualTo(SdiNotification.Type.RC);
        assertThat(messages.get(0).invoiceFileName()).isEqualTo(name);
        SdiSoap.MessageDelivery delivery = received.stream().filter(m -> m.identificativoSdI().equals(answer.identificativoSdI()))
                .findFirst().orElseThrow();
        assertThat(delivery.operation()).isEqualTo("RicevutaConsegna");
        assertThat(delivery.fileName()).isEqualTo(SdiFileName.base(name) + "_RC_001.xml");
        messaggiTypes().newValidator().validate(new StreamSource(new ByteArrayInputStream(delivery.file())));
        VerifySignatureAction.Verification verification = VerifySignatureAction.verify(new InMemoryDocument(delivery.file()),
                List.of(), List.of(pki.caCertificate), false);
        assertThat(verification.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.intact()).isTrue();
            assertThat(o.trusted()).isTrue();
            assertThat(o.format()).contains("XAdES");
        });
        assertThat(sdi.acceptedFiles(name)).isEqualTo(1);
    }

    @Test
    void aSecondFileUnderTheSameNameIsRefusedAsDuplicate00002() throws Exception {
        String name = name();
        String first = client().send(name, invoice("FPR12", "102")).identificativoSdI();
        String second = client().send(name, invoice("FPR12", "102")).identificativoSdI();

        List<SdiNotification> copy = messagesFor(second, 1);
        assertThat(copy.get(0).type()).isEqualTo(SdiNotification.Type.NS);
        assertThat(copy.get(0).errors()).extracting(SdiNotification.Error::code).containsExactly(SdiErrors.DUPLICATE_NAME);
        assertThat(copy.get(0).errors().get(0).description()).contains(first);
        assertThat(messagesFor(first, 1).get(0).type()).isEqualTo(SdiNotification.Type.RC);
        assertThat(sdi.calls(name)).isEqualTo(2);
        assertThat(sdi.acceptedFiles(name)).isEqualTo(1);
    }

    @Test
    void badNameSchemaErrorsAndContentRulesAreRejectedWithSdisCodes() throws Exception {
        String badName = "IT01234567890-00001.xml";
        List<SdiNotification> ns = messagesFor(client().send(badName, invoice("FPR12", "103")).identificativoSdI(), 1);
        assertThat(ns.get(0).errors()).extracting(SdiNotification.Error::code).contains(SdiErrors.INVALID_NAME);

        byte[] notConformant = new String(invoice("FPR12", "104"), StandardCharsets.UTF_8)
                .replace("<Divisa>EUR</Divisa>", "<Valuta>EUR</Valuta>").getBytes(StandardCharsets.UTF_8);
        SdiNotification xsd = messagesFor(client().send(name(), notConformant).identificativoSdI(), 1).get(0);
        assertThat(xsd.type()).isEqualTo(SdiNotification.Type.NS);
        assertThat(xsd.errors()).extracting(SdiNotification.Error::code).containsExactly(SdiErrors.NOT_CONFORMANT);
        assertThat(xsd.errors().get(0).description()).contains("Valuta");

        String tomorrow = LocalDate.now().plusDays(2).toString();
        byte[] future = new String(invoice("FPR12", "NUMERO"), StandardCharsets.UTF_8)
                .replaceFirst("<Data>[^<]*</Data>", "<Data>" + tomorrow + "</Data>").getBytes(StandardCharsets.UTF_8);
        SdiNotification rules = messagesFor(client().send(name(), future).identificativoSdI(), 1).get(0);
        assertThat(rules.errors()).extracting(SdiNotification.Error::code)
                .containsExactlyInAnyOrder(SdiErrors.DATE_AFTER_RECEIPT, SdiErrors.NUMBER_WITHOUT_DIGITS);
        messaggiTypes().newValidator().validate(new StreamSource(new ByteArrayInputStream(
                received.stream().filter(m -> m.identificativoSdI().equals(rules.identificativoSdI())).findFirst().orElseThrow().file())));
    }

    @Test
    void paFilesMustBeSignedByATrustedSignerAndGetTheAdministrationsOutcome() throws Exception {
        List<SdiNotification> unsigned = messagesFor(client().send(name(), invoice("FPA12", "105")).identificativoSdI(), 1);
        assertThat(unsigned.get(0).errors()).extracting(SdiNotification.Error::code).containsExactly(SdiErrors.SIGNATURE_INVALID);

        SimulatorPki stranger = new SimulatorPki("Some Other CA");
        sdi.scenarioFor("<Numero>106</Numero>", SdiScenario.paAccept());
        String untrusted = client().send(name() + ".p7m", cades(invoice("FPA12", "106"), SimulatorPki.HUB_SIGNING)).identificativoSdI();
        assertThat(messagesFor(untrusted, 2)).extracting(SdiNotification::type)
                .containsExactly(SdiNotification.Type.RC, SdiNotification.Type.NE);
        assertThat(messagesFor(untrusted, 2).get(1).esito()).isEqualTo("EC01");

        byte[] foreign = cadesBy(stranger, invoice("FPA12", "107"));
        SdiNotification refused = messagesFor(client().send(name() + ".p7m", foreign).identificativoSdI(), 1).get(0);
        assertThat(refused.errors()).extracting(SdiNotification.Error::code).containsExactly(SdiErrors.UNTRUSTED_CA);

        byte[] tampered = cades(invoice("FPA12", "108"), SimulatorPki.HUB_SIGNING);
        int at = new String(tampered, StandardCharsets.ISO_8859_1).indexOf("Consulenza");
        tampered[at] = 'K';
        SdiNotification broken = messagesFor(client().send(name() + ".p7m", tampered).identificativoSdI(), 1).get(0);
        assertThat(broken.errors()).extracting(SdiNotification.Error::code).contains(SdiErrors.SIGNATURE_INVALID);
    }

    private static byte[] cadesBy(SimulatorPki other, byte[] content) throws Exception {
        SimulatorPki saved = pki;
        pki = other;
        try {
            return cades(content, SimulatorPki.HUB_SIGNING);
        } finally {
            pki = saved;
        }
    }

    @Test
    void notDeliverablePaFileGetsMancataConsegnaThenAttestazione() throws Exception {
        sdi.scenarioFor("<Numero>109</Numero>", SdiScenario.notDeliverable());
        String id = client().send(name() + ".p7m", cades(invoice("FPA12", "109"), SimulatorPki.HUB_SIGNING)).identificativoSdI();

        List<SdiNotification> messages = messagesFor(id, 2);
        assertThat(messages).extracting(SdiNotification::type).containsExactly(SdiNotification.Type.MC, SdiNotification.Type.AT);
        for (SdiSoap.MessageDelivery m : received.stream().filter(m -> m.identificativoSdI().equals(id)).toList()) {
            messaggiTypes().newValidator().validate(new StreamSource(new ByteArrayInputStream(m.file())));
        }
    }

    @Test
    void emptyFilesUnavailabilityAndServerErrorsAreAnsweredAsSdiDoes() throws Exception {
        assertThatThrownBy(() -> client().send(name(), new byte[0])).isInstanceOf(SdiClient.Refused.class).hasMessageContaining("EI01");
        sdi.failNext(SdiFault.unavailable());
        assertThatThrownBy(() -> client().send(name(), invoice("FPR12", "110"))).isInstanceOf(SdiClient.Unavailable.class)
                .hasMessageContaining("EI02");
        String name = name();
        sdi.failNext(SdiFault.httpStatus(503));
        assertThatThrownBy(() -> client().send(name, invoice("FPR12", "111"))).isInstanceOf(SdiClient.Unknown.class)
                .hasMessageContaining("503");
        assertThat(sdi.files(name)).as("a 503 takes nothing").isEmpty();
        sdi.failNext(SdiFault.lostResponse());
        assertThatThrownBy(() -> client().send(name, invoice("FPR12", "111"))).isInstanceOf(SdiClient.Unknown.class);
        Instant deadline = Instant.now().plusSeconds(20);
        while (sdi.acceptedFiles(name) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(sdi.acceptedFiles(name)).as("a lost answer: SDI has the file").isEqualTo(1);
    }

    @Test
    void aClientWhoseCertificateIsNotFromSdisTrustedCaIsRefusedInTheHandshake() throws Exception {
        SimulatorPki stranger = new SimulatorPki("Rogue CA");
        // the rogue client trusts SDI's server (it knows the simulator's CA), but presents a certificate of its own CA
        SdiClient rogue = new SdiClient(sdi.endpoint(), mixed(stranger), Duration.ofSeconds(5), Duration.ofSeconds(10));
        String name = name();

        // under TLS 1.3 the client learns of the refusal only when the server closes the connection: the send fails
        // as "connection broke" (retried by the engine, then failed); SDI took nothing
        assertThatThrownBy(() -> rogue.send(name, invoice("FPR12", "112"))).isInstanceOf(SdiClient.SdiException.class)
                .hasMessageContaining(name);
        assertThat(sdi.calls(name)).isZero();
        assertThat(sdi.files(name)).isEmpty();
    }

    /** A TLS context presenting {@code stranger}'s client certificate and trusting the simulator's CA. */
    private static javax.net.ssl.SSLContext mixed(SimulatorPki stranger) throws Exception {
        char[] password = "x".toCharArray();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("c", stranger.identity(SimulatorPki.HUB_CLIENT).keys().getPrivate(), password,
                stranger.chain(SimulatorPki.HUB_CLIENT).toArray(new X509Certificate[0]));
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.caCertificate);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** The vendored MessaggiTypes_v1.1.xsd, its xmldsig import from ph-xsds-xmldsig. */
    static Schema messaggiTypes() throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        java.net.URL xmldsig = SdiSimulatorTest.class.getResource("/schemas/xmldsig-core-schema.xsd");
        factory.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> {
            if (!"http://www.w3.org/2000/09/xmldsig#".equals(namespace)) {
                return null;
            }
            org.w3c.dom.ls.LSInput input;
            try {
                input = ((org.w3c.dom.ls.DOMImplementationLS) org.w3c.dom.bootstrap.DOMImplementationRegistry.newInstance()
                        .getDOMImplementation("LS")).createLSInput();
                input.setSystemId(xmldsig.toString());
                input.setByteStream(xmldsig.openStream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return input;
        });
        return factory.newSchema(SdiSimulatorTest.class.getResource("/sdi/wsdl/MessaggiTypes_v1.1.xsd"));
    }
}
