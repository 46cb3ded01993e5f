package io.einvoicinghub.italy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.einvoicinghub.model.UnifiedSchemaTest;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.ElementFieldMap;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.ValidationReport;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltExecutable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * samples/fatturapa/*.json → transformations/fatturapa/unified-to-fatturapa.xsl → FatturaPA 1.2.2: every sample is
 * valid unified JSON, its FatturaPA is valid against the official XSD (phive-rules-fatturapa, rule set
 * it.fatturapa:invoice:1.2.2), and the FatturaPA terms carry the values written here. The invalid samples fail the
 * XSD with located findings mapped back to the JSON field that holds the bad value.
 */
class UnifiedToFatturaPaTest {

    static final String RULE_SET = "it.fatturapa:invoice:1.2.2";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Processor PROCESSOR = new Processor(false);
    static final OfficialRulesValidator VALIDATOR = new OfficialRulesValidator();
    static final ElementFieldMap FIELDS = ElementFieldMap.read(Path.of("transformations/fatturapa/fields.json"));
    static XsltExecutable stylesheet;

    @BeforeAll
    static void compile() throws Exception {
        stylesheet = PROCESSOR.newXsltCompiler().compile(new StreamSource(new File("transformations/fatturapa/unified-to-fatturapa.xsl")));
    }

    static byte[] transform(Path sample) throws Exception {
        return transform(MAPPER.readTree(sample.toFile()));
    }

    static byte[] transform(JsonNode submission) throws Exception {
        XdmNode input = new UnifiedJsonToXml(PROCESSOR).convert(MAPPER.writeValueAsString(submission.get("document")));
        Xslt30Transformer t = stylesheet.load30();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Serializer serializer = PROCESSOR.newSerializer(out);
        t.applyTemplates(input, serializer);
        return out.toByteArray();
    }

    static byte[] transform(String sample) throws Exception {
        return transform(Path.of("samples/fatturapa", sample + ".json"));
    }

    /** XPath over the FatturaPA output (root prefix {@code p}, children unqualified); values joined with |. */
    static String x(byte[] xml, String path) throws Exception {
        XPathCompiler c = PROCESSOR.newXPathCompiler();
        c.declareNamespace("p", "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2");
        XdmNode doc = PROCESSOR.newDocumentBuilder().build(new StreamSource(new ByteArrayInputStream(xml)));
        return c.evaluate("string-join((" + path + ") ! string(), '|')", doc).toString();
    }

    static final String DGD = "/p:FatturaElettronica/FatturaElettronicaBody/DatiGenerali/DatiGeneraliDocumento/";
    static final String RIEPILOGO = "/p:FatturaElettronica/FatturaElettronicaBody/DatiBeniServizi/DatiRiepilogo/";
    static final String LINEE = "/p:FatturaElettronica/FatturaElettronicaBody/DatiBeniServizi/DettaglioLinee/";
    static final String TRASMISSIONE = "/p:FatturaElettronica/FatturaElettronicaHeader/DatiTrasmissione/";
    static final String PAGAMENTO = "/p:FatturaElettronica/FatturaElettronicaBody/DatiPagamento/DettaglioPagamento/";

    static List<Finding> blocking(byte[] xml) throws Exception {
        ValidationReport report = VALIDATOR.validate(RULE_SET, xml);
        return report.findings().stream().filter(Finding::isBlocking).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-b2b-standard-rate", "02-pa-split-payment", "03-forfettario-n2-2-stamp-duty", "04-intra-community-n3-2",
            "05-reverse-charge-n6-7", "06-exempt-n4-stamp-duty", "07-cassa-previdenziale", "08-ritenuta-acconto",
            "09-credit-note-td04", "10-multi-rate", "11-line-allowance-and-charge"})
    void sampleIsValidUnifiedJsonAndItsFatturaPaIsValidAgainstTheOfficialXsd(String sample) throws Exception {
        JsonNode submission = MAPPER.readTree(Path.of("samples/fatturapa", sample + ".json").toFile());
        assertThat(UnifiedSchemaTest.load().validate(submission)).as("unified JSON Schema").isEmpty();
        byte[] xml = transform(sample);
        assertThat(blocking(xml)).as(new String(xml)).isEmpty();
        assertThat(x(xml, "/p:FatturaElettronica/@versione")).isEqualTo(x(xml, TRASMISSIONE + "FormatoTrasmissione"));
    }

    @Test
    void everySampleInTheFolderIsListedAbove() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("samples/fatturapa"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".json")).count()).isEqualTo(11);
        }
    }

    @Test
    void b2bStandardRateIsFpr12WithTheBuyersChannelCode() throws Exception {
        byte[] xml = transform("01-b2b-standard-rate");
        assertThat(x(xml, "/p:FatturaElettronica/@versione")).isEqualTo("FPR12");
        assertThat(x(xml, TRASMISSIONE + "IdTrasmittente/IdPaese")).isEqualTo("IT");
        assertThat(x(xml, TRASMISSIONE + "IdTrasmittente/IdCodice")).isEqualTo("01234567897");
        assertThat(x(xml, TRASMISSIONE + "CodiceDestinatario")).isEqualTo("M5UXCR1");
        assertThat(x(xml, "//CedentePrestatore/DatiAnagrafici/RegimeFiscale")).isEqualTo("RF01");
        assertThat(x(xml, "//CedentePrestatore/IscrizioneREA/NumeroREA")).isEqualTo("1234567");
        assertThat(x(xml, "//CedentePrestatore/Contatti/Telefono")).isEqualTo("0212345678");
        assertThat(x(xml, "//CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA/IdCodice")).isEqualTo("09876543217");
        assertThat(x(xml, DGD + "TipoDocumento")).isEqualTo("TD01");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("916.22");
        assertThat(x(xml, DGD + "Causale")).isEqualTo("Fornitura come da ordine OA-2026-118");
        assertThat(x(xml, LINEE + "Quantita")).isEqualTo("5.00|2.00");
        assertThat(x(xml, LINEE + "PrezzoUnitario")).isEqualTo("120.00|75.50");
        assertThat(x(xml, LINEE + "PrezzoTotale")).isEqualTo("600.00|151.00");
        assertThat(x(xml, LINEE + "CodiceArticolo/CodiceValore")).isEqualTo("VS-DN25");
        assertThat(x(xml, RIEPILOGO + "AliquotaIVA")).isEqualTo("22.00");
        assertThat(x(xml, RIEPILOGO + "Imposta")).isEqualTo("165.22");
        assertThat(x(xml, PAGAMENTO + "ModalitaPagamento")).isEqualTo("MP05");
        assertThat(x(xml, PAGAMENTO + "ImportoPagamento")).isEqualTo("916.22");
        assertThat(x(xml, PAGAMENTO + "IBAN")).isEqualTo("IT60X0542811101000000123456");
    }

    @Test
    void publicAdministrationIsFpa12WithSplitPaymentAndTheBuyerPaysTheNetAmount() throws Exception {
        byte[] xml = transform("02-pa-split-payment");
        assertThat(x(xml, "/p:FatturaElettronica/@versione")).isEqualTo("FPA12");
        assertThat(x(xml, TRASMISSIONE + "CodiceDestinatario")).isEqualTo("UFY9MH");
        assertThat(x(xml, "//CessionarioCommittente/DatiAnagrafici/CodiceFiscale")).isEqualTo("80012345676");
        assertThat(x(xml, "//CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA")).isEmpty();
        assertThat(x(xml, RIEPILOGO + "EsigibilitaIVA")).isEqualTo("S");
        assertThat(x(xml, RIEPILOGO + "Imposta")).isEqualTo("550.00");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("3050.00");
        assertThat(x(xml, PAGAMENTO + "ImportoPagamento")).isEqualTo("2500.00");
        assertThat(x(xml, "//DatiOrdineAcquisto/IdDocumento")).isEqualTo("DET-2026-44");
        assertThat(x(xml, "//DatiOrdineAcquisto/CodiceCIG")).isEqualTo("Z1A2B3C4D5");
        assertThat(x(xml, "//DatiOrdineAcquisto/CodiceCUP")).isEqualTo("J41B21000010001");
        assertThat(x(xml, "//DatiContratto/IdDocumento")).isEqualTo("CONV-2026-7");
    }

    @Test
    void forfettarioIsNotSubjectN22WithVirtualStampDuty() throws Exception {
        byte[] xml = transform("03-forfettario-n2-2-stamp-duty");
        assertThat(x(xml, "//CedentePrestatore/DatiAnagrafici/RegimeFiscale")).isEqualTo("RF19");
        assertThat(x(xml, "//CedentePrestatore/DatiAnagrafici/CodiceFiscale")).isEqualTo("FRRMRT85M41A944K");
        assertThat(x(xml, RIEPILOGO + "Natura")).isEqualTo("N2.2");
        assertThat(x(xml, RIEPILOGO + "AliquotaIVA")).isEqualTo("0.00");
        assertThat(x(xml, LINEE + "Natura")).isEqualTo("N2.2");
        assertThat(x(xml, RIEPILOGO + "RiferimentoNormativo")).isEqualTo("Operazione in franchigia da IVA ai sensi dell'art. 1 c. 54-89 L. 190/2014");
        assertThat(x(xml, DGD + "DatiBollo/BolloVirtuale")).isEqualTo("SI");
        assertThat(x(xml, DGD + "DatiBollo/ImportoBollo")).isEqualTo("2.00");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("800.00");
    }

    @Test
    void intraCommunitySupplyIsN32ToAForeignBuyer() throws Exception {
        byte[] xml = transform("04-intra-community-n3-2");
        assertThat(x(xml, RIEPILOGO + "Natura")).isEqualTo("N3.2");
        assertThat(x(xml, TRASMISSIONE + "CodiceDestinatario")).isEqualTo("XXXXXXX");
        assertThat(x(xml, "//CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA/IdPaese")).isEqualTo("DE");
        assertThat(x(xml, "//CessionarioCommittente/Sede/CAP")).isEqualTo("00000");
        assertThat(x(xml, "//CessionarioCommittente/Sede/Nazione")).isEqualTo("DE");
        assertThat(x(xml, "//CessionarioCommittente/Sede/Provincia")).isEmpty();
        assertThat(x(xml, RIEPILOGO + "RiferimentoNormativo")).isEqualTo("Non imponibile art. 41 DL 331/1993");
    }

    @Test
    void domesticReverseChargeIsN67() throws Exception {
        byte[] xml = transform("05-reverse-charge-n6-7");
        assertThat(x(xml, RIEPILOGO + "Natura")).isEqualTo("N6.7");
        assertThat(x(xml, LINEE + "Natura")).isEqualTo("N6.7");
        assertThat(x(xml, RIEPILOGO + "ImponibileImporto")).isEqualTo("12000.00");
        assertThat(x(xml, RIEPILOGO + "Imposta")).isEqualTo("0.00");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("12000.00");
    }

    @Test
    void exemptMedicalServiceToAConsumerIsN4WithStampDuty() throws Exception {
        byte[] xml = transform("06-exempt-n4-stamp-duty");
        assertThat(x(xml, RIEPILOGO + "Natura")).isEqualTo("N4");
        assertThat(x(xml, TRASMISSIONE + "CodiceDestinatario")).isEqualTo("0000000");
        assertThat(x(xml, "//CessionarioCommittente/DatiAnagrafici/CodiceFiscale")).isEqualTo("BNCMRA80A01F205X");
        assertThat(x(xml, DGD + "DatiBollo/ImportoBollo")).isEqualTo("2.00");
        assertThat(x(xml, PAGAMENTO + "ModalitaPagamento")).isEqualTo("MP08");
    }

    @Test
    void pensionFundContributionIsDatiCassaPrevidenzialeAndPartOfTheTaxableAmount() throws Exception {
        byte[] xml = transform("07-cassa-previdenziale");
        assertThat(x(xml, DGD + "DatiCassaPrevidenziale/TipoCassa")).isEqualTo("TC04");
        assertThat(x(xml, DGD + "DatiCassaPrevidenziale/AlCassa")).isEqualTo("4.00");
        assertThat(x(xml, DGD + "DatiCassaPrevidenziale/ImportoContributoCassa")).isEqualTo("40.00");
        assertThat(x(xml, DGD + "DatiCassaPrevidenziale/ImponibileCassa")).isEqualTo("1000.00");
        assertThat(x(xml, DGD + "DatiCassaPrevidenziale/AliquotaIVA")).isEqualTo("22.00");
        // the contribution is not also a line: one line, and the summary's taxable amount is line + contribution
        assertThat(x(xml, "count(" + LINEE + "NumeroLinea)")).isEqualTo("1");
        assertThat(x(xml, RIEPILOGO + "ImponibileImporto")).isEqualTo("1040.00");
        assertThat(x(xml, RIEPILOGO + "Imposta")).isEqualTo("228.80");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("1268.80");
    }

    @Test
    void withholdingTaxIsDatiRitenutaAndLeavesThePaymentNetOfIt() throws Exception {
        byte[] xml = transform("08-ritenuta-acconto");
        assertThat(x(xml, DGD + "DatiRitenuta/TipoRitenuta")).isEqualTo("RT01");
        assertThat(x(xml, DGD + "DatiRitenuta/ImportoRitenuta")).isEqualTo("200.00");
        assertThat(x(xml, DGD + "DatiRitenuta/AliquotaRitenuta")).isEqualTo("20.00");
        assertThat(x(xml, DGD + "DatiRitenuta/CausalePagamento")).isEqualTo("A");
        assertThat(x(xml, LINEE + "Ritenuta")).isEqualTo("SI");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("1220.00");
        assertThat(x(xml, PAGAMENTO + "ImportoPagamento")).isEqualTo("1020.00");
    }

    @Test
    void creditNoteIsTd04ReferencingTheInvoiceAndDeliveredByPec() throws Exception {
        byte[] xml = transform("09-credit-note-td04");
        assertThat(x(xml, DGD + "TipoDocumento")).isEqualTo("TD04");
        assertThat(x(xml, "//DatiFattureCollegate/IdDocumento")).isEqualTo("FT-2026-0001");
        assertThat(x(xml, "//DatiFattureCollegate/Data")).isEqualTo("2026-11-20");
        assertThat(x(xml, TRASMISSIONE + "CodiceDestinatario")).isEqualTo("0000000");
        assertThat(x(xml, TRASMISSIONE + "PECDestinatario")).isEqualTo("amministrazione@pec.rossidistribuzione.example");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("146.40");
        assertThat(x(xml, "/p:FatturaElettronica/FatturaElettronicaBody/DatiPagamento")).isEmpty();
    }

    @Test
    void multiRateInvoiceHasOneSummaryPerRateAndDocumentAllowanceAndChargeAsLines() throws Exception {
        byte[] xml = transform("10-multi-rate");
        assertThat(x(xml, RIEPILOGO + "AliquotaIVA")).isEqualTo("22.00|10.00|4.00");
        assertThat(x(xml, RIEPILOGO + "ImponibileImporto")).isEqualTo("970.00|500.00|300.00");
        assertThat(x(xml, RIEPILOGO + "Imposta")).isEqualTo("213.40|50.00|12.00");
        assertThat(x(xml, LINEE + "NumeroLinea")).isEqualTo("1|2|3|4|5");
        assertThat(x(xml, LINEE + "TipoCessionePrestazione")).isEqualTo("SC|AC");
        assertThat(x(xml, LINEE + "PrezzoTotale")).isEqualTo("1000.00|500.00|300.00|-50.00|20.00");
        assertThat(x(xml, LINEE + "Descrizione")).endsWith("|Sconto promozionale|Spese di trasporto");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("2045.40");
        // SDI's check: each summary's taxable amount is the sum of its lines' PrezzoTotale
        assertThat(x(xml, "sum(" + LINEE + "PrezzoTotale[../AliquotaIVA = '22.00'])")).isEqualTo("970");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01-iban-with-spaces", "02-exemption-reason-too-long", "03-postal-code-and-unit-code"})
    void invalidSampleFailsTheXsdWithLocatedFindingsMappedToItsJsonFields(String sample) throws Exception {
        Path file = Path.of("samples/fatturapa/invalid", sample + ".json");
        JsonNode expected = MAPPER.readTree(Path.of("samples/fatturapa/invalid", sample + ".expected.json").toFile());
        assertThat(UnifiedSchemaTest.load().validate(MAPPER.readTree(file.toFile()))).as("unified JSON Schema accepts it").isEmpty();
        byte[] xml = transform(file);
        List<Finding> findings = FIELDS.map(blocking(xml), xml);
        assertThat(findings).isNotEmpty();
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("XSD");
            assertThat(f.location()).as("line:column in the FatturaPA").matches(".*\\d+:\\d+.*");
        });
        List<String> fields = findings.stream().map(Finding::sourceField).distinct().toList();
        List<String> wanted = MAPPER.convertValue(expected.get("sourceFields"), MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(fields).containsExactlyInAnyOrderElementsOf(wanted);
    }

    @Test
    void ibanWrittenWithSpacesNamesTheXsdPatternAndTheAccountField() throws Exception {
        byte[] xml = transform(Path.of("samples/fatturapa/invalid/01-iban-with-spaces.json"));
        List<Finding> findings = FIELDS.map(blocking(xml), xml);
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.message()).contains("IT60 X054 2811 1010 0000 0123 456").contains("IBANType");
            assertThat(f.sourceField()).isEqualTo("/document/paymentInstructions/creditTransfers/0/accountId");
        });
    }

    @Test
    void zeroRatedCategoryWithoutNaturaIsRefusedNamingTheExtensionField() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode submission =
                (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(Path.of("samples/fatturapa/04-intra-community-n3-2.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode document = (com.fasterxml.jackson.databind.node.ObjectNode) submission.get("document");
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("lines").get(0).get("vat")).put("categoryCode", "Z");
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("vatBreakdown").get(0)).put("categoryCode", "Z");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> transform(submission))
                .hasMessageContaining("VAT category Z needs its natura in extensions.it.natura");
    }

    @Test
    void fpa12WithoutTheOfficesIpaCodeIsRefused() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode submission =
                (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(Path.of("samples/fatturapa/02-pa-split-payment.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode it = (com.fasterxml.jackson.databind.node.ObjectNode) submission.get("document").get("extensions").get("it");
        it.remove("recipientCode");
        it.put("transmissionFormat", "FPA12");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> transform(submission))
                .hasMessageContaining("FPA12 invoice needs the public office's IPA code in extensions.it.recipientCode");
    }

    @Test
    void lineAllowanceAndChargeAreScontoMaggiorazionePerUnit() throws Exception {
        byte[] xml = transform("11-line-allowance-and-charge");
        assertThat(x(xml, LINEE + "ScontoMaggiorazione/Tipo")).isEqualTo("SC|MG");
        assertThat(x(xml, LINEE + "ScontoMaggiorazione/Importo")).isEqualTo("5.00|0.50");
        assertThat(x(xml, LINEE + "PrezzoUnitario")).isEqualTo("50.00|20.00");
        assertThat(x(xml, LINEE + "PrezzoTotale")).isEqualTo("450.00|61.50");
        // SDI's check: (unit price - discounts + surcharges) x quantity = total price
        assertThat(x(xml, "for $l in " + LINEE.substring(0, LINEE.length() - 1) + " return "
                + "(number($l/PrezzoUnitario) - sum($l/ScontoMaggiorazione[Tipo = 'SC']/Importo) + sum($l/ScontoMaggiorazione[Tipo = 'MG']/Importo))"
                + " * number($l/Quantita) = number($l/PrezzoTotale)")).isEqualTo("true|true");
        assertThat(x(xml, RIEPILOGO + "ImponibileImporto")).isEqualTo("511.50");
        assertThat(x(xml, DGD + "ImportoTotaleDocumento")).isEqualTo("624.03");
    }

    @Test
    void lineAllowanceThatIsNoWholeAmountPerUnitIsRefused() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode submission =
                (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(Path.of("samples/fatturapa/11-line-allowance-and-charge.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) submission.get("document").get("lines").get(1).get("charges").get(0)).put("amount", 1.00);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> transform(submission))
                .hasMessageContaining("Line 2").hasMessageContaining("not a whole amount per unit of quantity 3");
    }
}
