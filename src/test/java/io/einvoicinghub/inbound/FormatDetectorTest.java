package io.einvoicinghub.inbound;

import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.reader.InvoiceSyntax;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.einvoicinghub.inbound.InboundTestBed.rendered;
import static org.assertj.core.api.Assertions.assertThat;

/** Format detection, one test per format the issue names; inputs rendered by the outbound features or written here. */
class FormatDetectorTest {

    private static final String SAMPLE = "01-standard-rate-sepa-transfer.json";
    private final FormatDetector detector = new FormatDetector();

    @Test
    void ublByCustomizationId() {
        DetectedDocument peppol = detector.detect(rendered(SAMPLE, PinnedFeature.PEPPOL_BIS_UBL));
        DetectedDocument xrechnung = detector.detect(rendered(SAMPLE, PinnedFeature.XRECHNUNG_UBL));
        PinnedFeature plain = new PinnedFeature("en16931-ubl", "UBL", "ubl/unified-to-ubl.xsl", "customizationId",
                "urn:cen.eu:en16931:2017", "eu.cen.en16931:ubl:1.3.16", "eu.cen.en16931:ubl-creditnote:1.3.16");
        DetectedDocument en16931 = detector.detect(rendered(SAMPLE, plain));

        assertThat(peppol.format()).isEqualTo(InboundFormat.PEPPOL_BIS3_UBL);
        assertThat(peppol.syntax()).isEqualTo(InvoiceSyntax.UBL_INVOICE);
        assertThat(peppol.detail()).isEqualTo(PinnedFeature.PEPPOL_BIS_UBL.specification());
        assertThat(xrechnung.format()).isEqualTo(InboundFormat.XRECHNUNG_UBL);
        assertThat(en16931.format()).isEqualTo(InboundFormat.EN16931_UBL);
        assertThat(peppol.unwrapped()).isFalse();
    }

    @Test
    void ublCreditNoteHasItsOwnRuleSet() {
        DetectedDocument credit = detector.detect(rendered("10-credit-note.json", PinnedFeature.PEPPOL_BIS_UBL));
        assertThat(credit.syntax()).isEqualTo(InvoiceSyntax.UBL_CREDIT_NOTE);
        assertThat(credit.format().ruleSet(credit.documentType())).isEqualTo("eu.peppol.bis3:creditnote:latest");
        assertThat(new io.einvoicinghub.validation.OfficialRulesValidator().knows(credit.format().ruleSet("CreditNote"))).isTrue();
    }

    @Test
    void ciiByGuidelineIdIncludingFacturXProfiles() {
        String cii = new String(rendered(SAMPLE, PinnedFeature.EN16931_CII), StandardCharsets.UTF_8);
        assertThat(detector.detect(cii.getBytes(StandardCharsets.UTF_8)).format()).isEqualTo(InboundFormat.EN16931_CII);
        assertThat(detector.detect(rendered(SAMPLE, PinnedFeature.XRECHNUNG_CII)).format()).isEqualTo(InboundFormat.XRECHNUNG_CII);
        assertThat(withGuideline(cii, "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"))
                .isEqualTo(InboundFormat.FACTURX_BASIC_CII);
        assertThat(withGuideline(cii, "urn:factur-x.eu:1p0:minimum")).isEqualTo(InboundFormat.FACTURX_MINIMUM_CII);
        assertThat(withGuideline(cii, "urn:factur-x.eu:1p0:basicwl")).isEqualTo(InboundFormat.FACTURX_BASIC_WL_CII);
        assertThat(withGuideline(cii, "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended"))
                .isEqualTo(InboundFormat.FACTURX_EXTENDED_CII);
        assertThat(withGuideline(cii, "urn:example:other")).isEqualTo(InboundFormat.CII_OTHER);
        assertThat(InboundFormat.FACTURX_MINIMUM_CII.convertible()).isFalse();
    }

    @Test
    void fatturaPa() {
        DetectedDocument d = detector.detect(fatturaPaXml());
        assertThat(d.format()).isEqualTo(InboundFormat.FATTURAPA);
        assertThat(d.detail()).isEqualTo("versione FPR12");
    }

    @Test
    void cfdi40ReadsTheStampUuid() {
        String cfdi = """
                <?xml version="1.0" encoding="UTF-8"?>
                <cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital"
                    Version="4.0" Serie="A" Folio="123" Fecha="2026-11-20T10:00:00" Total="116.00" Moneda="MXN">
                  <cfdi:Emisor Rfc="EKU9003173C9" Nombre="ESCUELA KEMPER URGATE" RegimenFiscal="601"/>
                  <cfdi:Receptor Rfc="XAXX010101000" Nombre="PUBLICO EN GENERAL" UsoCFDI="S01"/>
                  <cfdi:Complemento>
                    <tfd:TimbreFiscalDigital Version="1.1" UUID="6F3E2A1B-9C4D-4E5F-8A7B-1C2D3E4F5A6B" FechaTimbrado="2026-11-20T10:01:00"/>
                  </cfdi:Complemento>
                </cfdi:Comprobante>
                """;
        DetectedDocument d = detector.detect(cfdi.getBytes(StandardCharsets.UTF_8));
        assertThat(d.format()).isEqualTo(InboundFormat.CFDI_40);
        assertThat(d.detail()).isEqualTo("UUID 6F3E2A1B-9C4D-4E5F-8A7B-1C2D3E4F5A6B");
    }

    @Test
    void pdfIsRecognisedByItsHeader() {
        DetectedDocument d = detector.detect("%PDF-1.7\n1 0 obj\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(d.format()).isEqualTo(InboundFormat.FACTURX_PDF);
        assertThat(d.detail()).isEqualTo("PDF 1.7");
    }

    @Test
    void signedEnvelopeIsOpenedInDerAndBase64() {
        byte[] ubl = rendered(SAMPLE, PinnedFeature.PEPPOL_BIS_UBL);
        byte[] p7m = SignedEnvelopes.p7m(ubl);

        DetectedDocument der = detector.detect(p7m);
        DetectedDocument base64 = detector.detect(Base64.getMimeEncoder().encode(p7m));
        DetectedDocument signedFattura = detector.detect(SignedEnvelopes.p7m(fatturaPaXml()));

        assertThat(der.format()).isEqualTo(InboundFormat.PEPPOL_BIS3_UBL);
        assertThat(der.unwrapped()).isTrue();
        assertThat(der.content()).isEqualTo(ubl);
        assertThat(base64.format()).isEqualTo(InboundFormat.PEPPOL_BIS3_UBL);
        assertThat(signedFattura.format()).isEqualTo(InboundFormat.FATTURAPA);
    }

    @Test
    void unknownInputSaysWhy() {
        assertThat(detector.detect(new byte[0]).detail()).isEqualTo("empty file");
        assertThat(detector.detect("hello".getBytes(StandardCharsets.US_ASCII)).format()).isEqualTo(InboundFormat.UNKNOWN);
        assertThat(detector.detect("<a:x xmlns:a='urn:a'/>".getBytes(StandardCharsets.UTF_8)).detail())
                .isEqualTo("XML root {urn:a}x is no invoice format the hub knows");
        assertThat(detector.detect("<!DOCTYPE x><x/>".getBytes(StandardCharsets.UTF_8)).detail()).contains("DOCTYPE");
    }

    private InboundFormat withGuideline(String cii, String guideline) {
        String changed = cii.replace(">urn:cen.eu:en16931:2017<", ">" + guideline + "<");
        assertThat(changed).isNotEqualTo(cii);
        return detector.detect(changed.getBytes(StandardCharsets.UTF_8)).format();
    }

    static byte[] fatturaPaXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
                  <FatturaElettronicaHeader>
                    <DatiTrasmissione><IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdTrasmittente>
                      <ProgressivoInvio>00001</ProgressivoInvio><FormatoTrasmissione>FPR12</FormatoTrasmissione>
                      <CodiceDestinatario>ABC1234</CodiceDestinatario></DatiTrasmissione>
                  </FatturaElettronicaHeader>
                  <FatturaElettronicaBody/>
                </p:FatturaElettronica>
                """.getBytes(StandardCharsets.UTF_8);
    }
}
