package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.validation.ValidationReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.einvoicinghub.fidelity.PinnedFeature.EN16931_CII;
import static io.einvoicinghub.fidelity.PinnedFeature.PEPPOL_BIS_UBL;
import static io.einvoicinghub.fidelity.PinnedFeature.XRECHNUNG_CII;
import static io.einvoicinghub.fidelity.PinnedFeature.XRECHNUNG_UBL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One regression per outbound defect of issue 6, each on its sample in {@code samples/valid}: the output is
 * officially valid in every feature and carries the term as the ERP wrote it.
 */
class OutboundDefectsRegressionTest {

    private static final List<PinnedFeature> UBL = List.of(PEPPOL_BIS_UBL, XRECHNUNG_UBL);
    private static final List<PinnedFeature> CII = List.of(XRECHNUNG_CII, EN16931_CII);

    private static Xml validOutput(String sample, PinnedFeature feature) {
        JsonNode submission = FeatureRendering.read(Path.of("samples/valid", sample));
        byte[] xml = FeatureRendering.render(feature, submission);
        ValidationReport report = FeatureRendering.validate(feature, FeatureRendering.documentType(submission), xml);
        assertThat(report.findings().stream().filter(f -> f.isBlocking()).map(f -> f.ruleId() + " " + f.message()).toList())
                .as(sample + " via " + feature).isEmpty();
        return new Xml(xml);
    }

    /** Defects 1 and 3: a non-IBAN account keeps the D16B order; an IBAN keeps its spaces, in both syntaxes. */
    @Test
    void bt84AccountIdsAreWrittenAsGivenAndInSchemaOrder() {
        String sample = "19-credit-transfer-accounts-as-written.json";
        for (PinnedFeature feature : CII) {
            Xml xml = validOutput(sample, feature);
            String means = "//ram:SpecifiedTradeSettlementPaymentMeans";
            assertThat(xml.strings(means + "/ram:PayeePartyCreditorFinancialAccount/ram:IBANID")).containsExactly("NL57 RABO 0107307510");
            assertThat(xml.strings(means + "/ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID")).containsExactly("1234.56.78903");
            assertThat(xml.strings(means + "[2]/ram:PayeePartyCreditorFinancialAccount/*/local-name()"))
                    .containsExactly("AccountName", "ProprietaryID");
        }
        for (PinnedFeature feature : UBL) {
            assertThat(validOutput(sample, feature).strings("//cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"))
                    .containsExactly("NL57 RABO 0107307510", "1234.56.78903");
        }
    }

    /** Defect 2: BT-7 once, with two VAT breakdowns (CII-SR-461). */
    @Test
    void bt7IsWrittenOnceWithSeveralVatBreakdowns() {
        for (PinnedFeature feature : CII) {
            Xml xml = validOutput("20-vat-point-date-two-breakdowns.json", feature);
            assertThat(xml.strings("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax")).hasSize(2);
            assertThat(xml.strings("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString"))
                    .containsExactly("20261118");
        }
        for (PinnedFeature feature : UBL) {
            assertThat(validOutput("20-vat-point-date-two-breakdowns.json", feature).strings("/*/cbc:TaxPointDate"))
                    .containsExactly("2026-11-18");
        }
    }

    /** Defect 4: BT-147 without BT-148 survives in CII (on a gross price of net + discount) and in UBL. */
    @Test
    void bt147PriceDiscountWithoutGrossPriceIsKept() {
        String sample = "21-price-discount-without-gross-price.json";
        for (PinnedFeature feature : CII) {
            Xml xml = validOutput(sample, feature);
            String gross = "//ram:IncludedSupplyChainTradeLineItem[2]//ram:GrossPriceProductTradePrice";
            assertThat(xml.strings(gross + "/ram:AppliedTradeAllowanceCharge/ram:ActualAmount")).containsExactly("10.00");
            assertThat(xml.strings(gross + "/ram:ChargeAmount")).containsExactly("100.00");
        }
        for (PinnedFeature feature : UBL) {
            Xml xml = validOutput(sample, feature);
            assertThat(xml.strings("/*/cac:InvoiceLine[2]/cac:Price/cac:AllowanceCharge/cbc:Amount")).containsExactly("10.00");
            assertThat(xml.strings("/*/cac:InvoiceLine[2]/cac:Price/cac:AllowanceCharge/cbc:BaseAmount")).isEmpty();
        }
    }

    /** Defect 5: rate 0 of category O reaches the breakdown (BR-DE-14), the line carries none (BR-O-05). */
    @Test
    void bt119RateZeroOfCategoryOIsWritten() {
        for (PinnedFeature feature : UBL) {
            Xml xml = validOutput("22-not-subject-to-vat.json", feature);
            assertThat(xml.strings("//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).containsExactly("0");
            assertThat(xml.strings("//cac:ClassifiedTaxCategory/cbc:Percent")).isEmpty();
        }
        for (PinnedFeature feature : CII) {
            assertThat(validOutput("22-not-subject-to-vat.json", feature)
                    .strings("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent")).containsExactly("0");
        }
    }

    /** Defect 6: without BT-110, UBL's mandatory TaxTotal/TaxAmount carries the breakdown's sum; CII omits it. */
    @Test
    void taxTotalWithoutBt110IsSchemaValid() {
        for (PinnedFeature feature : UBL) {
            assertThat(validOutput("23-without-total-vat-amount.json", feature).strings("/*/cac:TaxTotal/cbc:TaxAmount"))
                    .containsExactly("0.00");
        }
        for (PinnedFeature feature : CII) {
            assertThat(validOutput("23-without-total-vat-amount.json", feature).strings("//ram:TaxTotalAmount")).isEmpty();
        }
    }

    /** Defect 7: BT-6 = BT-5 means VAT accounted in the invoice currency: one VAT total, no BT-6 (decision 0006). */
    @Test
    void vatAccountingCurrencyEqualToInvoiceCurrencyWritesOneVatTotal() throws Exception {
        String sample = "24-vat-currency-equals-invoice-currency.json";
        String withoutBt111 = Files.readString(Path.of("samples/valid", sample)).replace("      \"taxAmountInTaxCurrency\": 258.40,\n", "");
        assertThat(withoutBt111).doesNotContain("taxAmountInTaxCurrency");
        for (PinnedFeature feature : UBL) {
            Xml xml = validOutput(sample, feature);
            assertThat(xml.strings("/*/cac:TaxTotal/cbc:TaxAmount")).containsExactly("258.40");
            assertThat(xml.strings("/*/cbc:TaxCurrencyCode")).isEmpty();
            assertThat(validXml(feature, withoutBt111).strings("/*/cac:TaxTotal/cbc:TaxAmount")).containsExactly("258.40");
        }
        for (PinnedFeature feature : CII) {
            Xml xml = validOutput(sample, feature);
            assertThat(xml.strings("//ram:TaxTotalAmount")).containsExactly("258.40");
            assertThat(xml.strings("//ram:TaxCurrencyCode")).isEmpty();
            assertThat(validXml(feature, withoutBt111).strings("//ram:TaxTotalAmount")).containsExactly("258.40");
        }
    }

    private static Xml validXml(PinnedFeature feature, String submissionJson) {
        JsonNode submission;
        try {
            submission = io.einvoicinghub.submission.UnifiedJson.parse(submissionJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] xml = FeatureRendering.render(feature, submission);
        assertThat(FeatureRendering.validate(feature, FeatureRendering.documentType(submission), xml).blockingRuleIds())
                .as(feature.id()).isEmpty();
        return new Xml(xml);
    }

    /** Defect 8: numbers are lexical in both stylesheets, exponent forms included (no xs:double). */
    @Test
    void numbersKeepEveryDigitInBothSyntaxes() throws Exception {
        String document = Files.readString(Path.of("samples/valid/01-standard-rate-sepa-transfer.json"));
        document = document.substring(document.indexOf("\"document\":") + "\"document\":".length(), document.lastIndexOf('}'))
                .replace("\"quantity\": 10,", "\"quantity\": 1.00000000000000000001E1,")
                .replace("\"price\": { \"netAmount\": 100.00 }", "\"price\": { \"netAmount\": 123456789012345678.901 }");
        Xml ubl = new Xml(FeatureRendering.render(PEPPOL_BIS_UBL, "Invoice", document));
        assertThat(ubl.strings("/*/cac:InvoiceLine[1]/cbc:InvoicedQuantity")).containsExactly("10.0000000000000000001");
        assertThat(ubl.strings("/*/cac:InvoiceLine[1]/cac:Price/cbc:PriceAmount")).containsExactly("123456789012345678.901");
        Xml cii = new Xml(FeatureRendering.render(EN16931_CII, "Invoice", document));
        assertThat(cii.strings("//ram:IncludedSupplyChainTradeLineItem[1]//ram:BilledQuantity")).containsExactly("10.0000000000000000001");
        assertThat(cii.strings("//ram:IncludedSupplyChainTradeLineItem[1]//ram:NetPriceProductTradePrice/ram:ChargeAmount"))
                .containsExactly("123456789012345678.901");
    }

    /** Defect 8: BT-82 once, with one payment means per credit transfer account (BT-84 repeated). */
    @Test
    void bt82IsWrittenOnceWithSeveralAccounts() {
        String sample = "19-credit-transfer-accounts-as-written.json";
        for (PinnedFeature feature : CII) {
            Xml xml = validOutput(sample, feature);
            assertThat(xml.strings("//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode")).containsExactly("30", "30");
            assertThat(xml.strings("//ram:SpecifiedTradeSettlementPaymentMeans/ram:Information")).containsExactly("Credit transfer");
        }
        for (PinnedFeature feature : UBL) {
            assertThat(validOutput(sample, feature).strings("//cac:PaymentMeans/cbc:PaymentMeansCode/@name")).containsExactly("Credit transfer");
        }
    }
}
