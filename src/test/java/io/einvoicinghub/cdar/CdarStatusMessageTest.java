package io.einvoicinghub.cdar;

import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

import javax.xml.namespace.NamespaceContext;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CDAR message for each life-cycle status the hub must produce, written by the stylesheet in transformations/cdar
 * and validated with the shipped rules (CDAR XSD + BR-FR-CDV Schematron of phive-rules-france); the values read
 * back from the message are the ones this test put in. Then the other way: a message read back gives the event.
 */
class CdarStatusMessageTest {

    static final StatusEvent.TradeParty SELLER = new StatusEvent.TradeParty("123456782", "0002", "Atelier Lumière SARL",
            "123456782_STATUTS", "0225");
    static final StatusEvent.TradeParty BUYER = new StatusEvent.TradeParty("987654329", "0002", "Bureau Horizon SA",
            "987654329", "0225");
    static final StatusEvent.Invoice INVOICE = new StatusEvent.Invoice("FA-2026-0042", LocalDate.of(2026, 11, 20), "380");
    static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-02T09:15:30Z");

    static CdarWriter writer;
    static CdarRules rules;
    static CdarReader reader;

    @BeforeAll
    static void setUp() {
        writer = new CdarWriter(new UnifiedJsonToXml(), Path.of("transformations"));
        rules = new CdarRules();
        reader = new CdarReader();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            200 | Déposée                 | 305 | WK | SE | -                | -                                   | -
            202 | Reçue par la plateforme | 305 | WK | SE | -                | -                                   | -
            213 | Rejetée                 | 305 | WK | SE | DOUBLON          | Facture déjà déposée                | -
            204 | Prise en charge         | 23  | BY | SE | -                | -                                   | -
            205 | Approuvée               | 23  | BY | SE | -                | -                                   | -
            206 | Approuvée partiellement | 23  | BY | SE | QTE_ERR          | 2 colis sur 3 livrés                | -
            207 | En litige               | 23  | BY | SE | PU_ERR           | Prix unitaire différent de la commande | -
            208 | Suspendue               | 23  | BY | SE | JUSTIF_ABS       | Bon de livraison manquant           | -
            210 | Refusée                 | 23  | BY | SE | TX_TVA_ERR       | Taux de TVA erroné                  | -
            211 | Paiement transmis       | 23  | BY | SE | -                | -                                   | 1200.00
            212 | Encaissée               | 23  | SE | BY | -                | -                                   | 1200.00
            """)
    void everyListedStatusValidatesWithTheShippedRules(String code, String label, String phase, String issuerRole,
                                                       String recipientRole, String reasonCode, String reasonText,
                                                       String amount) throws Exception {
        InvoiceStatus status = InvoiceStatus.byCode(code).orElseThrow();
        byte[] xml = writer.write(new StatusEvent(status, AT, null, INVOICE, SELLER, BUYER, reasonCode, reasonText,
                amount, amount == null ? null : "EUR", null));

        ValidationReport report = rules.validate(xml);
        // the shipped Schematron flags every BR-FR-CDV rule as a warning: a message the hub writes has no finding at all
        assertThat(report.findings()).as(new String(xml, java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
        assertThat(report.ruleSetId()).isEqualTo("fr.ctc:cdar:1.3");

        Document doc = SecureXml.parse(xml);
        assertThat(x(doc, "//rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"))
                .isEqualTo("urn.cpro.gouv.fr:1p0:CDV:invoice");
        assertThat(x(doc, "//rsm:ExchangedDocument/ram:ID")).isEqualTo("FA-2026-0042_" + code + "_20261202101530");
        assertThat(x(doc, "//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")).isEqualTo("20261202101530");
        assertThat(x(doc, "//rsm:AcknowledgementDocument/ram:TypeCode")).isEqualTo(phase);
        assertThat(x(doc, "//rsm:ExchangedDocument/ram:IssuerTradeParty/ram:RoleCode")).isEqualTo(issuerRole);
        assertThat(x(doc, "//rsm:ExchangedDocument/ram:RecipientTradeParty[1]/ram:RoleCode")).isEqualTo(recipientRole);
        String ref = "//rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument/";
        assertThat(x(doc, ref + "ram:IssuerAssignedID")).isEqualTo("FA-2026-0042");
        assertThat(x(doc, ref + "ram:FormattedIssueDateTime/qdt:DateTimeString")).isEqualTo("20261120");
        assertThat(x(doc, ref + "ram:ProcessConditionCode")).isEqualTo(code);
        assertThat(x(doc, ref + "ram:ProcessCondition")).isEqualTo(label);
        assertThat(x(doc, ref + "ram:IssuerTradeParty/ram:GlobalID")).isEqualTo("123456782");
        assertThat(x(doc, ref + "ram:IssuerTradeParty/ram:GlobalID/@schemeID")).isEqualTo("0002");
        assertThat(x(doc, ref + "ram:SpecifiedDocumentStatus/ram:ReasonCode")).isEqualTo(reasonCode == null ? "" : reasonCode);
        assertThat(x(doc, ref + "ram:SpecifiedDocumentStatus/ram:Reason")).isEqualTo(reasonText == null ? "" : reasonText);
        assertThat(x(doc, ref + "ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic[ram:TypeCode='MEN']/ram:ValueAmount"))
                .isEqualTo(amount == null ? "" : amount);
        if (issuerRole.equals("WK")) {
            assertThat(x(doc, "//rsm:ExchangedDocument/ram:IssuerTradeParty/ram:GlobalID")).isEmpty();
        } else {
            assertThat(x(doc, "//rsm:ExchangedDocument/ram:IssuerTradeParty/ram:GlobalID"))
                    .isEqualTo(issuerRole.equals("BY") ? "987654329" : "123456782");
        }
    }

    @Test
    void theFourStatusesReportedToThePublicPortalAlsoGoToThePpf() throws Exception {
        for (String code : List.of("200", "210", "212", "213")) {
            InvoiceStatus status = InvoiceStatus.byCode(code).orElseThrow();
            Document doc = SecureXml.parse(writer.write(new StatusEvent(status, AT, null, INVOICE, SELLER, BUYER,
                    code.equals("210") ? "TX_TVA_ERR" : code.equals("213") ? "DOUBLON" : null, null,
                    code.equals("212") ? "1200.00" : null, "EUR", null)));
            assertThat(x(doc, "//rsm:ExchangedDocument/ram:RecipientTradeParty[ram:RoleCode='DFH']/ram:GlobalID"))
                    .as(code).isEqualTo("9998");
        }
        Document approved = SecureXml.parse(writer.write(new StatusEvent(InvoiceStatus.APPROVED, AT, null, INVOICE, SELLER,
                BUYER, null, null, null, null, null)));
        assertThat(x(approved, "count(//rsm:ExchangedDocument/ram:RecipientTradeParty)")).isEqualTo("1");
    }

    /** The shipped rules, not the hub, say what a status needs: their rule ids come back (as warnings, as shipped). */
    @Test
    void aRefusalWithoutReasonAndPaymentWithoutAmountFailWithTheirRuleIds() throws Exception {
        ValidationReport refused = rules.validate(writer.write(new StatusEvent(InvoiceStatus.REFUSED, AT, null, INVOICE,
                SELLER, BUYER, null, null, null, null, null)));
        assertThat(ruleIds(refused)).containsExactly("BR-FR-CDV-15_MDT-113");

        ValidationReport paid = rules.validate(writer.write(new StatusEvent(InvoiceStatus.PAID, AT, null, INVOICE,
                SELLER, BUYER, null, null, null, null, null)));
        assertThat(ruleIds(paid)).containsExactly("BR-FR-CDV-14_MDT-207");

        ValidationReport wrongReason = rules.validate(writer.write(new StatusEvent(InvoiceStatus.SUSPENDED, AT, null,
                INVOICE, SELLER, BUYER, "TX_TVA_ERR", "Taux", null, null, null)));
        assertThat(ruleIds(wrongReason)).containsExactly("BR-FR-CDV-CL-09_MDT-113_208");
        assertThat(wrongReason.findings()).allMatch(f -> f.severity() == Finding.Severity.WARNING);
    }

    static List<String> ruleIds(ValidationReport report) {
        return report.findings().stream().map(Finding::ruleId).toList();
    }

    @Test
    void aMessageReadBackGivesTheInvoiceAndStatusWrittenIntoIt() throws Exception {
        byte[] xml = writer.write(new StatusEvent(InvoiceStatus.PAID, AT, null, INVOICE, SELLER, BUYER, null, null,
                "1200.00", "EUR", "MSG-77"));
        CdarReader.ReceivedStatus read = reader.read(xml);
        assertThat(read.messageId()).isEqualTo("MSG-77");
        assertThat(read.invoiceNumber()).isEqualTo("FA-2026-0042");
        assertThat(read.invoiceIssueDate()).isEqualTo(LocalDate.of(2026, 11, 20));
        assertThat(read.sellerId()).isEqualTo("123456782");
        assertThat(read.statusCode()).isEqualTo("212");
        assertThat(read.statusAt()).isEqualTo(AT);
        assertThat(read.amount()).isEqualTo("1200.00");
        assertThat(read.currency()).isEqualTo("EUR");
        assertThat(read.issuerRole()).isEqualTo("SE");
    }

    static String x(Document doc, String expression) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(NAMESPACES);
        return xpath.evaluate(expression, doc);
    }

    static final NamespaceContext NAMESPACES = new NamespaceContext() {
        @Override
        public String getNamespaceURI(String prefix) {
            return switch (prefix) {
                case "rsm" -> "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100";
                case "ram" -> "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
                case "qdt" -> "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
                case "udt" -> "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";
                default -> null;
            };
        }

        @Override
        public String getPrefix(String uri) {
            return null;
        }

        @Override
        public Iterator<String> getPrefixes(String uri) {
            return null;
        }
    };
}
