<?xml version="1.0" encoding="UTF-8"?>
<!--
  Test stylesheet of the SDI connector tests (not the Italy feature's transform): a minimal FatturaPA 1.2.2 file,
  valid against the official XSD, whose invoice number (2.1.1.4) and date (2.1.1.3) come from the unified JSON and
  whose transmission format and recipient code come from parameters. One line, 22 % VAT.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:j="http://www.w3.org/2005/xpath-functions"
    xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2" exclude-result-prefixes="xs j">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="documentType" as="xs:string" select="''"/>
  <xsl:param name="formato" as="xs:string" select="'FPR12'"/>
  <xsl:param name="codiceDestinatario" as="xs:string" select="'ABC1234'"/>
  <xsl:param name="progressivo" as="xs:string" select="'00001'"/>
  <xsl:template match="/j:map">
    <p:FatturaElettronica versione="{$formato}">
      <FatturaElettronicaHeader>
        <DatiTrasmissione>
          <IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdTrasmittente>
          <ProgressivoInvio><xsl:value-of select="$progressivo"/></ProgressivoInvio>
          <FormatoTrasmissione><xsl:value-of select="$formato"/></FormatoTrasmissione>
          <CodiceDestinatario><xsl:value-of select="$codiceDestinatario"/></CodiceDestinatario>
        </DatiTrasmissione>
        <CedentePrestatore>
          <DatiAnagrafici>
            <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdFiscaleIVA>
            <Anagrafica><Denominazione>Alfa Servizi Srl</Denominazione></Anagrafica>
            <RegimeFiscale>RF01</RegimeFiscale>
          </DatiAnagrafici>
          <Sede><Indirizzo>Via Roma 1</Indirizzo><CAP>00184</CAP><Comune>Roma</Comune><Provincia>RM</Provincia><Nazione>IT</Nazione></Sede>
        </CedentePrestatore>
        <CessionarioCommittente>
          <DatiAnagrafici>
            <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>09876543210</IdCodice></IdFiscaleIVA>
            <Anagrafica><Denominazione>Beta Acquisti Spa</Denominazione></Anagrafica>
          </DatiAnagrafici>
          <Sede><Indirizzo>Corso Milano 2</Indirizzo><CAP>20121</CAP><Comune>Milano</Comune><Provincia>MI</Provincia><Nazione>IT</Nazione></Sede>
        </CessionarioCommittente>
      </FatturaElettronicaHeader>
      <FatturaElettronicaBody>
        <DatiGenerali>
          <DatiGeneraliDocumento>
            <TipoDocumento>TD01</TipoDocumento>
            <Divisa>EUR</Divisa>
            <Data><xsl:value-of select="j:string[@key = 'issueDate']"/></Data>
            <Numero><xsl:value-of select="j:string[@key = 'number']"/></Numero>
            <ImportoTotaleDocumento>122.00</ImportoTotaleDocumento>
          </DatiGeneraliDocumento>
        </DatiGenerali>
        <DatiBeniServizi>
          <DettaglioLinee>
            <NumeroLinea>1</NumeroLinea>
            <Descrizione>Consulenza tecnica</Descrizione>
            <Quantita>1.00</Quantita>
            <PrezzoUnitario>100.00</PrezzoUnitario>
            <PrezzoTotale>100.00</PrezzoTotale>
            <AliquotaIVA>22.00</AliquotaIVA>
          </DettaglioLinee>
          <DatiRiepilogo>
            <AliquotaIVA>22.00</AliquotaIVA>
            <ImponibileImporto>100.00</ImponibileImporto>
            <Imposta>22.00</Imposta>
            <EsigibilitaIVA>I</EsigibilitaIVA>
          </DatiRiepilogo>
        </DatiBeniServizi>
      </FatturaElettronicaBody>
    </p:FatturaElettronica>
  </xsl:template>
</xsl:stylesheet>
