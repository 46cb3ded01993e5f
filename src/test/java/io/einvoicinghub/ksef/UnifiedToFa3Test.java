package io.einvoicinghub.ksef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.einvoicinghub.ksef.simulator.KsefSimulator;
import io.einvoicinghub.model.UnifiedSchemaTest;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltExecutable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * samples/ksef/*.json → transformations/ksef/unified-to-fa3.xsl → FA(3): each sample is valid unified JSON,
 * its output is valid against the official FA(3) XSD, and the FA(3) terms carry the values written here.
 */
class UnifiedToFa3Test {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Processor PROCESSOR = new Processor(false);
    static final Fa3SchemaValidator XSD = new Fa3SchemaValidator();
    static XsltExecutable stylesheet;

    @BeforeAll
    static void compile() throws Exception {
        stylesheet = PROCESSOR.newXsltCompiler().compile(new StreamSource(new File("transformations/ksef/unified-to-fa3.xsl")));
    }

    static byte[] transform(String sample) throws Exception {
        JsonNode submission = MAPPER.readTree(Path.of("samples/ksef", sample + ".json").toFile());
        XdmNode input = new UnifiedJsonToXml(PROCESSOR).convert(MAPPER.writeValueAsString(submission.get("document")));
        Xslt30Transformer t = stylesheet.load30();
        t.setStylesheetParameters(Map.of(new QName("generatedAt"), new XdmAtomicValue("2026-11-20T10:00:00Z")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Serializer serializer = PROCESSOR.newSerializer(out);
        t.applyTemplates(input, serializer);
        return out.toByteArray();
    }

    /** XPath over the FA(3) output with prefix {@code fa}. */
    static String x(byte[] xml, String path) throws Exception {
        XPathCompiler c = PROCESSOR.newXPathCompiler();
        c.declareNamespace("fa", Fa3SchemaValidator.NAMESPACE);
        XdmNode doc = PROCESSOR.newDocumentBuilder().build(new StreamSource(new java.io.ByteArrayInputStream(xml)));
        return c.evaluate("string-join((" + path + ") ! string(), '|')", doc).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-standard-rate", "02-reduced-rates", "03-exempt", "04-correction-kor", "05-foreign-currency", "06-split-payment-mpp"})
    void sampleIsValidUnifiedJsonAndItsFa3IsValidAgainstTheOfficialXsd(String sample) throws Exception {
        JsonNode submission = MAPPER.readTree(Path.of("samples/ksef", sample + ".json").toFile());
        assertThat(UnifiedSchemaTest.load().validate(submission)).as("unified JSON Schema").isEmpty();
        byte[] fa3 = transform(sample);
        assertThat(XSD.validate(fa3)).as(new String(fa3)).isEmpty();
        assertThat(x(fa3, "/fa:Faktura/fa:Naglowek/fa:KodFormularza/@kodSystemowy")).isEqualTo("FA (3)");
        assertThat(x(fa3, "/fa:Faktura/fa:Naglowek/fa:DataWytworzeniaFa")).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(x(fa3, "/fa:Faktura/fa:Podmiot1/fa:DaneIdentyfikacyjne/fa:NIP")).isEqualTo("5265877635");
        assertThat(x(fa3, "//fa:Adnotacje/fa:NoweSrodkiTransportu/fa:P_22N")).isEqualTo("1");
    }

    @Test
    void standardRate() throws Exception {
        byte[] fa3 = transform("01-standard-rate");
        assertThat(x(fa3, "//fa:Fa/fa:KodWaluty")).isEqualTo("PLN");
        assertThat(x(fa3, "//fa:Fa/fa:P_1")).isEqualTo("2026-11-20");
        assertThat(x(fa3, "//fa:Fa/fa:P_1M")).isEqualTo("Warszawa");
        assertThat(x(fa3, "//fa:Fa/fa:P_2")).isEqualTo("FV/2026/11/0001");
        assertThat(x(fa3, "//fa:Fa/fa:P_6")).isEqualTo("2026-11-18");
        assertThat(x(fa3, "//fa:Fa/fa:P_13_1")).isEqualTo("1150.00");
        assertThat(x(fa3, "//fa:Fa/fa:P_14_1")).isEqualTo("264.50");
        assertThat(x(fa3, "//fa:Fa/fa:P_15")).isEqualTo("1414.50");
        assertThat(x(fa3, "//fa:Fa/fa:RodzajFaktury")).isEqualTo("VAT");
        assertThat(x(fa3, "//fa:Adnotacje/(fa:P_16, fa:P_17, fa:P_18, fa:P_18A)")).isEqualTo("2|2|2|2");
        assertThat(x(fa3, "//fa:Adnotacje/fa:Zwolnienie/fa:P_19N")).isEqualTo("1");
        assertThat(x(fa3, "/fa:Faktura/fa:Podmiot1/fa:PrefiksPodatnika")).isEqualTo("PL");
        assertThat(x(fa3, "/fa:Faktura/fa:Podmiot1/fa:Adres/(fa:KodKraju, fa:AdresL1, fa:AdresL2)")).isEqualTo("PL|ul. Prosta 51|00-838 Warszawa");
        assertThat(x(fa3, "/fa:Faktura/fa:Podmiot2/fa:DaneIdentyfikacyjne/(fa:NIP, fa:Nazwa)")).isEqualTo("3434235649|Odra Logistyka S.A.");
        assertThat(x(fa3, "/fa:Faktura/fa:Podmiot2/(fa:JST, fa:GV)")).isEqualTo("2|2");
        assertThat(x(fa3, "//fa:FaWiersz/fa:NrWierszaFa")).isEqualTo("1|2");
        assertThat(x(fa3, "//fa:FaWiersz[1]/(fa:P_7, fa:P_8A, fa:P_8B, fa:P_9A, fa:P_11, fa:P_12)"))
                .isEqualTo("Klucz dynamometryczny 1/2\"|szt.|4|212.5|850.00|23");
        assertThat(x(fa3, "//fa:FaWiersz[2]/(fa:P_8A, fa:P_8B, fa:P_11)")).isEqualTo("godz.|2|300.00");
        assertThat(x(fa3, "//fa:Platnosc/(fa:TerminPlatnosci/fa:Termin, fa:FormaPlatnosci, fa:RachunekBankowy/fa:NrRB, fa:RachunekBankowy/fa:SWIFT)"))
                .isEqualTo("2026-12-04|6|PL61109010140000071219812874|WBKPPLPP");
        assertThat(x(fa3, "//fa:WarunkiTransakcji/fa:Zamowienia/fa:NrZamowienia")).isEqualTo("ZAM/2026/1187");
    }

    @Test
    void reducedRatesGoToTheirOwnGroups() throws Exception {
        byte[] fa3 = transform("02-reduced-rates");
        assertThat(x(fa3, "//fa:Fa/(fa:P_13_1, fa:P_14_1)")).isEqualTo("978.00|224.94");
        assertThat(x(fa3, "//fa:Fa/(fa:P_13_2, fa:P_14_2)")).isEqualTo("540.00|43.20");
        assertThat(x(fa3, "//fa:Fa/(fa:P_13_3, fa:P_14_3)")).isEqualTo("399.00|19.95");
        assertThat(x(fa3, "//fa:Fa/fa:P_15")).isEqualTo("2205.09");
        assertThat(x(fa3, "//fa:FaWiersz/fa:P_12")).isEqualTo("23|5|8");
    }

    @Test
    void exemptSupplyNamesItsLegalBasis() throws Exception {
        byte[] fa3 = transform("03-exempt");
        assertThat(x(fa3, "//fa:Fa/fa:P_13_7")).isEqualTo("2400.00");
        assertThat(x(fa3, "//fa:Fa/fa:P_13_1")).isEmpty();
        assertThat(x(fa3, "//fa:Fa/fa:P_15")).isEqualTo("2400.00");
        assertThat(x(fa3, "//fa:Zwolnienie/(fa:P_19, fa:P_19A)")).isEqualTo("1|art. 43 ust. 1 pkt 29 lit. b ustawy o VAT");
        assertThat(x(fa3, "//fa:FaWiersz/fa:P_12")).isEqualTo("zw");
    }

    @Test
    void creditNoteIsAKorWithNegativeDifferencesAndTheCorrectedKsefNumber() throws Exception {
        byte[] fa3 = transform("04-correction-kor");
        assertThat(x(fa3, "//fa:Fa/fa:RodzajFaktury")).isEqualTo("KOR");
        assertThat(x(fa3, "//fa:Fa/(fa:P_13_1, fa:P_14_1, fa:P_15)")).isEqualTo("-212.50|-48.88|-261.38");
        assertThat(x(fa3, "//fa:Fa/(fa:PrzyczynaKorekty, fa:TypKorekty)")).isEqualTo("Zwrot 1 szt. towaru|2");
        assertThat(x(fa3, "//fa:DaneFaKorygowanej/(fa:DataWystFaKorygowanej, fa:NrFaKorygowanej, fa:NrKSeF, fa:NrKSeFFaKorygowanej)"))
                .isEqualTo("2026-11-20|FV/2026/11/0001|1|5265877635-20261120-0100001AF629-9D");
        assertThat(x(fa3, "//fa:FaWiersz/(fa:P_8B, fa:P_9A, fa:P_11)")).isEqualTo("-1|212.5|-212.50");
    }

    @Test
    void foreignCurrencyStatesTheVatInPln() throws Exception {
        byte[] fa3 = transform("05-foreign-currency");
        assertThat(x(fa3, "//fa:Fa/fa:KodWaluty")).isEqualTo("EUR");
        assertThat(x(fa3, "//fa:Fa/(fa:P_13_1, fa:P_14_1, fa:P_14_1W, fa:P_15)")).isEqualTo("1700.00|391.00|1666.36|2091.00");
        assertThat(x(fa3, "//fa:FaWiersz/fa:KursWaluty")).isEqualTo("4.2618");
        assertThat(x(fa3, "/fa:Faktura/fa:Podmiot2/fa:DaneIdentyfikacyjne/(fa:KodUE, fa:NrVatUE)")).isEqualTo("DE|123456789");
        assertThat(x(fa3, "/fa:Faktura/fa:Podmiot2/fa:Adres/fa:KodKraju")).isEqualTo("DE");
    }

    @Test
    void splitPaymentSetsP18A() throws Exception {
        byte[] fa3 = transform("06-split-payment-mpp");
        assertThat(x(fa3, "//fa:Adnotacje/fa:P_18A")).isEqualTo("1");
        assertThat(x(fa3, "//fa:Fa/(fa:P_13_1, fa:P_14_1, fa:P_15)")).isEqualTo("26775.00|6158.25|32933.25");
        assertThat(x(fa3, "//fa:Fa/fa:P_1M")).isEqualTo("Katowice");
        assertThat(x(fa3, "//fa:FaWiersz/(fa:P_8A, fa:P_8B)")).isEqualTo("TNE|8.5");
    }

    /** End to end: each sample's FA(3) goes through the KSeF client to the simulator and gets a KSeF number. */
    @Test
    void everySampleIsAcceptedByTheKsefSimulator() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator().registerKsefToken("fa3-test-token", "5265877635").start(0)) {
            KsefClient client = new KsefClient(new KsefEnvironment("simulator", simulator.baseUri()));
            AuthTokens tokens = client.authenticate(ContextIdentifier.nip("5265877635"), "fa3-test-token".toCharArray(),
                    Duration.ofMillis(20), Duration.ofSeconds(10));
            OnlineSession session = client.openOnlineSession(tokens.accessToken(), client.publicKeyFor(PublicKeyCertificate.SYMMETRIC_KEY_ENCRYPTION));
            for (String sample : new String[]{"01-standard-rate", "02-reduced-rates", "03-exempt", "04-correction-kor", "05-foreign-currency", "06-split-payment-mpp"}) {
                SentInvoice sent = client.sendInvoice(tokens.accessToken(), session, transform(sample));
                InvoiceStatus status = client.invoiceStatus(tokens.accessToken(), session.referenceNumber(), sent.referenceNumber());
                assertThat(status.status().code()).as(sample + ": " + status.status()).isEqualTo(200);
                assertThat(KsefNumber.isValid(status.ksefNumber())).isTrue();
            }
        }
    }
}
