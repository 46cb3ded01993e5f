<?xml version="1.0" encoding="UTF-8"?>
<!--
  unified-to-fatturapa.xsl : unified JSON invoice model (EN 16931 as JSON, docs/decisions/0001-unified-model.md)
  plus document.extensions.it to the Italian FatturaPA 1.2.2 (FatturaElettronica, FPR12 B2B/B2C or FPA12 to a
  public administration), namespace http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2; validated
  with the official XSD that phive-rules-fatturapa ships (rule set it.fatturapa:invoice:1.2.2).

  Input : the XPath 3.1 XML representation of the JSON `document` object (fn:json-to-xml), as for ubl/, cii/, ksef/.
  Output: one FatturaElettronica with one FatturaElettronicaBody; the root element is qualified, its children are
  not (the XSD's elementFormDefault is unqualified); element order follows the XSD's sequences; no empty elements.
  Values are written as the ERP sent them (decision 0006); amounts get the decimals the XSD requires (2, or 2 to 8
  for prices and quantities). Mapping rules: docs/italy.md.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:j="http://www.w3.org/2005/xpath-functions"
    xmlns:f="urn:einvoicing-hub:functions"
    xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
    exclude-result-prefixes="xs j f">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <!-- DatiTrasmissione/ProgressivoInvio until the SDI progressive is stamped in (progressivo-invio.xsl) -->
  <xsl:param name="progressivoInvio" as="xs:string" select="'00000'"/>

  <!-- ============================================================ helpers -->

  <xsl:function name="f:get" as="element()?">
    <xsl:param name="obj" as="element()?"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="$obj/*[@key = $key][1]"/>
  </xsl:function>

  <xsl:function name="f:has" as="xs:boolean">
    <xsl:param name="v" as="item()*"/>
    <xsl:sequence select="some $x in $v satisfies string($x) ne ''"/>
  </xsl:function>

  <xsl:function name="f:dec" as="xs:decimal">
    <xsl:param name="v" as="item()?"/>
    <xsl:variable name="s" select="normalize-space(string($v))"/>
    <!-- JSON numbers keep the ERP's lexical form; only exponent notation goes through xs:double -->
    <xsl:sequence select="if ($s eq '') then 0 else if (matches($s, '[eE]')) then xs:decimal(xs:double($s)) else xs:decimal($s)"/>
  </xsl:function>

  <!-- Amount2DecimalType / RateType: exactly two decimals -->
  <xsl:function name="f:amt" as="xs:string">
    <xsl:param name="v" as="item()?"/>
    <xsl:sequence select="format-number(f:dec($v), '0.00')"/>
  </xsl:function>

  <!-- Amount8DecimalType / QuantitaType: the value as sent, with at least two and at most eight decimals -->
  <xsl:function name="f:amt8" as="xs:string">
    <xsl:param name="v" as="item()?"/>
    <xsl:sequence select="format-number(f:dec($v), '0.00######')"/>
  </xsl:function>

  <xsl:function name="f:doc" as="element(j:map)">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="root($n)/j:map"/>
  </xsl:function>

  <xsl:function name="f:it" as="element()?">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="f:get(f:get(f:doc($n), 'extensions'), 'it')"/>
  </xsl:function>

  <xsl:function name="f:fail" as="empty-sequence()">
    <xsl:param name="code" as="xs:string"/>
    <xsl:param name="message" as="xs:string"/>
    <xsl:sequence select="error(QName('urn:einvoicing-hub:functions', $code), $message)"/>
  </xsl:function>

  <!-- BT-3 (or extensions.it.documentType) to TipoDocumento -->
  <xsl:function name="f:tipoDocumento" as="xs:string">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="explicit" select="string(f:get(f:it($doc), 'documentType'))"/>
    <xsl:variable name="bt3" select="string(f:get($doc, 'typeCode'))"/>
    <xsl:sequence select="
        if ($explicit ne '') then $explicit
        else if ($bt3 = ('380', '384', '389')) then 'TD01'
        else if ($bt3 = '381') then 'TD04'
        else if ($bt3 = '383') then 'TD05'
        else if ($bt3 = '386') then 'TD02'
        else error(QName('urn:einvoicing-hub:functions', 'FATTURAPA-TIPO-DOCUMENTO'),
            'Invoice type code (BT-3) ' || $bt3 || ' has no FatturaPA TipoDocumento: send extensions.it.documentType')"/>
  </xsl:function>

  <!-- Natura of an EN 16931 VAT category without Italian VAT: extensions.it.natura, else the documented default -->
  <xsl:function name="f:natura" as="xs:string?">
    <xsl:param name="n" as="node()"/>
    <xsl:param name="category" as="xs:string"/>
    <xsl:variable name="explicit" select="string(f:get(f:get(f:it($n), 'natura'), $category))"/>
    <xsl:sequence select="
        if ($category = ('S', 'B')) then ()
        else if ($explicit ne '') then $explicit
        else if ($category = 'E') then 'N4'
        else if ($category = 'AE') then 'N6.9'
        else if ($category = 'K') then 'N3.2'
        else if ($category = 'G') then 'N3.1'
        else if ($category = 'O') then 'N2.2'
        else error(QName('urn:einvoicing-hub:functions', 'FATTURAPA-NATURA'),
            'VAT category ' || $category || ' needs its natura in extensions.it.natura')"/>
  </xsl:function>

  <!-- AliquotaIVA: the rate of a taxed category; 0.00 for categories with a natura -->
  <xsl:function name="f:aliquota" as="xs:string">
    <xsl:param name="category" as="xs:string"/>
    <xsl:param name="rate" as="element()?"/>
    <xsl:sequence select="if ($category = ('S', 'B')) then f:amt($rate) else '0.00'"/>
  </xsl:function>

  <!-- BT-81 to ModalitaPagamento -->
  <xsl:function name="f:modalita" as="xs:string">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="explicit" select="string(f:get(f:it($doc), 'paymentMethod'))"/>
    <xsl:variable name="code" select="string(f:get(f:get($doc, 'paymentInstructions'), 'meansCode'))"/>
    <xsl:sequence select="
        if ($explicit ne '') then $explicit
        else if ($code = '10') then 'MP01'
        else if ($code = '20') then 'MP02'
        else if ($code = ('30', '31', '42', '58')) then 'MP05'
        else if ($code = ('48', '54', '55')) then 'MP08'
        else if ($code = '59') then 'MP19'
        else error(QName('urn:einvoicing-hub:functions', 'FATTURAPA-MODALITA'),
            'Payment means code (BT-81) ' || $code || ' has no FatturaPA ModalitaPagamento: send extensions.it.paymentMethod')"/>
  </xsl:function>

  <!-- a VAT id split into IdPaese and IdCodice (Greece's EL stays EL: FatturaPA takes the VAT prefix) -->
  <xsl:template name="id-fiscale">
    <xsl:param name="vatId" as="xs:string"/>
    <IdFiscaleIVA>
      <IdPaese><xsl:value-of select="substring($vatId, 1, 2)"/></IdPaese>
      <IdCodice><xsl:value-of select="substring($vatId, 3)"/></IdCodice>
    </IdFiscaleIVA>
  </xsl:template>

  <xsl:template name="text">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="item()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="{$name}"><xsl:value-of select="string($value)"/></xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- Sede: line1 (+ line2) as Indirizzo; foreign addresses carry CAP 00000 and no Provincia, as SDI asks -->
  <xsl:template name="sede">
    <xsl:param name="address" as="element()?"/>
    <xsl:variable name="country" select="string(f:get($address, 'countryCode'))"/>
    <Sede>
      <Indirizzo><xsl:value-of select="string-join((f:get($address, 'line1'), f:get($address, 'line2'))[f:has(.)], ', ')"/></Indirizzo>
      <CAP><xsl:value-of select="if ($country = 'IT') then string(f:get($address, 'postalCode')) else '00000'"/></CAP>
      <Comune><xsl:value-of select="string(f:get($address, 'city'))"/></Comune>
      <xsl:if test="$country = 'IT'">
        <xsl:call-template name="text"><xsl:with-param name="name" select="'Provincia'"/><xsl:with-param name="value" select="f:get($address, 'countrySubdivision')"/></xsl:call-template>
      </xsl:if>
      <Nazione><xsl:value-of select="$country"/></Nazione>
    </Sede>
  </xsl:template>

  <!-- ============================================================ document -->

  <xsl:template match="/">
    <xsl:variable name="doc" select="f:doc(.)"/>
    <xsl:variable name="it" select="f:it($doc)"/>
    <xsl:variable name="recipientCode" select="string(f:get($it, 'recipientCode'))"/>
    <xsl:variable name="formato" select="
        if (f:has(f:get($it, 'transmissionFormat'))) then string(f:get($it, 'transmissionFormat'))
        else if (string-length($recipientCode) = 6) then 'FPA12' else 'FPR12'"/>
    <p:FatturaElettronica versione="{$formato}">
      <FatturaElettronicaHeader>
        <xsl:call-template name="dati-trasmissione">
          <xsl:with-param name="doc" select="$doc"/>
          <xsl:with-param name="formato" select="$formato"/>
          <xsl:with-param name="recipientCode" select="$recipientCode"/>
        </xsl:call-template>
        <xsl:apply-templates select="f:get($doc, 'seller')" mode="seller"/>
        <xsl:apply-templates select="f:get($doc, 'buyer')" mode="buyer"/>
      </FatturaElettronicaHeader>
      <FatturaElettronicaBody>
        <xsl:call-template name="dati-generali"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
        <xsl:call-template name="dati-beni-servizi"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
        <xsl:call-template name="dati-pagamento"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
        <xsl:apply-templates select="f:get($doc, 'supportingDocuments')/j:map[exists(f:get(., 'attachment'))]" mode="allegato"/>
      </FatturaElettronicaBody>
    </p:FatturaElettronica>
  </xsl:template>

  <!-- DatiTrasmissione: the transmitter (default the seller's VAT id), the recipient's channel -->
  <xsl:template name="dati-trasmissione">
    <xsl:param name="doc" as="element()"/>
    <xsl:param name="formato" as="xs:string"/>
    <xsl:param name="recipientCode" as="xs:string"/>
    <xsl:variable name="it" select="f:it($doc)"/>
    <xsl:variable name="transmitter" select="f:get($it, 'transmitter')"/>
    <xsl:variable name="sellerVat" select="string(f:get(f:get($doc, 'seller'), 'vatId'))"/>
    <xsl:variable name="buyerCountry" select="string(f:get(f:get(f:get($doc, 'buyer'), 'address'), 'countryCode'))"/>
    <DatiTrasmissione>
      <IdTrasmittente>
        <IdPaese><xsl:value-of select="if (exists($transmitter)) then string(f:get($transmitter, 'countryCode')) else substring($sellerVat, 1, 2)"/></IdPaese>
        <IdCodice><xsl:value-of select="if (exists($transmitter)) then string(f:get($transmitter, 'id')) else substring($sellerVat, 3)"/></IdCodice>
      </IdTrasmittente>
      <ProgressivoInvio><xsl:value-of select="$progressivoInvio"/></ProgressivoInvio>
      <FormatoTrasmissione><xsl:value-of select="$formato"/></FormatoTrasmissione>
      <CodiceDestinatario>
        <xsl:value-of select="if ($recipientCode ne '') then $recipientCode
            else if ($formato = 'FPA12') then error(QName('urn:einvoicing-hub:functions', 'FATTURAPA-CODICE-DESTINATARIO'),
                'An FPA12 invoice needs the public office''s IPA code in extensions.it.recipientCode')
            else if ($buyerCountry ne '' and $buyerCountry ne 'IT') then 'XXXXXXX' else '0000000'"/>
      </CodiceDestinatario>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'PECDestinatario'"/><xsl:with-param name="value" select="f:get($it, 'recipientPec')"/></xsl:call-template>
    </DatiTrasmissione>
  </xsl:template>

  <!-- BG-4 seller: CedentePrestatore -->
  <xsl:template match="j:map" mode="seller">
    <xsl:variable name="it" select="f:it(.)"/>
    <xsl:variable name="vat" select="string(f:get(., 'vatId'))"/>
    <xsl:variable name="contact" select="f:get(., 'contact')"/>
    <xsl:variable name="rea" select="f:get($it, 'sellerRegistration')"/>
    <CedentePrestatore>
      <DatiAnagrafici>
        <xsl:call-template name="id-fiscale"><xsl:with-param name="vatId" select="$vat"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'CodiceFiscale'"/><xsl:with-param name="value" select="f:get($it, 'sellerFiscalCode')"/></xsl:call-template>
        <Anagrafica><Denominazione><xsl:value-of select="string(f:get(., 'name'))"/></Denominazione></Anagrafica>
        <RegimeFiscale><xsl:value-of select="(f:get($it, 'taxRegime')[f:has(.)]/string(), 'RF01')[1]"/></RegimeFiscale>
      </DatiAnagrafici>
      <xsl:call-template name="sede"><xsl:with-param name="address" select="f:get(., 'address')"/></xsl:call-template>
      <xsl:if test="exists($rea)">
        <IscrizioneREA>
          <Ufficio><xsl:value-of select="string(f:get($rea, 'office'))"/></Ufficio>
          <NumeroREA><xsl:value-of select="string(f:get($rea, 'number'))"/></NumeroREA>
          <xsl:if test="f:has(f:get($rea, 'shareCapital'))"><CapitaleSociale><xsl:value-of select="f:amt(f:get($rea, 'shareCapital'))"/></CapitaleSociale></xsl:if>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'SocioUnico'"/><xsl:with-param name="value" select="f:get($rea, 'soleShareholder')"/></xsl:call-template>
          <StatoLiquidazione><xsl:value-of select="string(f:get($rea, 'liquidation'))"/></StatoLiquidazione>
        </IscrizioneREA>
      </xsl:if>
      <!-- Telefono holds 5 to 12 characters without spaces in FatturaPA: a phone written otherwise is left out -->
      <xsl:variable name="phone" select="string(f:get($contact, 'phone'))[matches(., '^\p{IsBasicLatin}{5,12}$') and not(contains(., ' '))]"/>
      <xsl:if test="f:has(($phone, f:get($contact, 'email')))">
        <Contatti>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Telefono'"/><xsl:with-param name="value" select="$phone"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Email'"/><xsl:with-param name="value" select="f:get($contact, 'email')"/></xsl:call-template>
        </Contatti>
      </xsl:if>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'RiferimentoAmministrazione'"/><xsl:with-param name="value" select="f:get($it, 'administrationReference')"/></xsl:call-template>
    </CedentePrestatore>
  </xsl:template>

  <!-- BG-7 buyer: CessionarioCommittente (VAT id and/or codice fiscale) -->
  <xsl:template match="j:map" mode="buyer">
    <xsl:variable name="it" select="f:it(.)"/>
    <xsl:variable name="vat" select="string(f:get(., 'vatId'))"/>
    <CessionarioCommittente>
      <DatiAnagrafici>
        <xsl:if test="$vat ne ''">
          <xsl:call-template name="id-fiscale"><xsl:with-param name="vatId" select="$vat"/></xsl:call-template>
        </xsl:if>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'CodiceFiscale'"/><xsl:with-param name="value" select="f:get($it, 'buyerFiscalCode')"/></xsl:call-template>
        <Anagrafica><Denominazione><xsl:value-of select="string(f:get(., 'name'))"/></Denominazione></Anagrafica>
      </DatiAnagrafici>
      <xsl:call-template name="sede"><xsl:with-param name="address" select="f:get(., 'address')"/></xsl:call-template>
    </CessionarioCommittente>
  </xsl:template>

  <!-- ============================================================ DatiGenerali -->

  <xsl:template name="dati-generali">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="it" select="f:it($doc)"/>
    <xsl:variable name="totals" select="f:get($doc, 'totals')"/>
    <DatiGenerali>
      <DatiGeneraliDocumento>
        <TipoDocumento><xsl:value-of select="f:tipoDocumento($doc)"/></TipoDocumento>
        <Divisa><xsl:value-of select="string(f:get($doc, 'currencyCode'))"/></Divisa>
        <Data><xsl:value-of select="string(f:get($doc, 'issueDate'))"/></Data>
        <Numero><xsl:value-of select="string(f:get($doc, 'number'))"/></Numero>
        <xsl:for-each select="f:get($it, 'withholdings')/j:map">
          <DatiRitenuta>
            <TipoRitenuta><xsl:value-of select="string(f:get(., 'type'))"/></TipoRitenuta>
            <ImportoRitenuta><xsl:value-of select="f:amt(f:get(., 'amount'))"/></ImportoRitenuta>
            <AliquotaRitenuta><xsl:value-of select="f:amt(f:get(., 'rate'))"/></AliquotaRitenuta>
            <CausalePagamento><xsl:value-of select="string(f:get(., 'paymentReason'))"/></CausalePagamento>
          </DatiRitenuta>
        </xsl:for-each>
        <xsl:for-each select="f:get($it, 'stampDuty')">
          <DatiBollo>
            <BolloVirtuale>SI</BolloVirtuale>
            <ImportoBollo><xsl:value-of select="f:amt(f:get(., 'amount'))"/></ImportoBollo>
          </DatiBollo>
        </xsl:for-each>
        <xsl:for-each select="f:get($it, 'pensionFunds')/j:map">
          <xsl:variable name="vatRate" select="f:dec(f:get(., 'vatRate'))"/>
          <DatiCassaPrevidenziale>
            <TipoCassa><xsl:value-of select="string(f:get(., 'type'))"/></TipoCassa>
            <AlCassa><xsl:value-of select="f:amt(f:get(., 'rate'))"/></AlCassa>
            <ImportoContributoCassa><xsl:value-of select="f:amt(f:get(., 'amount'))"/></ImportoContributoCassa>
            <xsl:if test="f:has(f:get(., 'taxableAmount'))"><ImponibileCassa><xsl:value-of select="f:amt(f:get(., 'taxableAmount'))"/></ImponibileCassa></xsl:if>
            <AliquotaIVA><xsl:value-of select="f:amt(f:get(., 'vatRate'))"/></AliquotaIVA>
            <xsl:if test="string(f:get(., 'subjectToWithholding')) = 'true'"><Ritenuta>SI</Ritenuta></xsl:if>
            <xsl:if test="$vatRate = 0">
              <Natura><xsl:value-of select="(f:get(., 'natura')[f:has(.)]/string(),
                  f:fail('FATTURAPA-NATURA', 'A pension fund contribution without VAT needs its natura (extensions.it.pensionFunds[].natura)'))[1]"/></Natura>
            </xsl:if>
            <xsl:call-template name="text"><xsl:with-param name="name" select="'RiferimentoAmministrazione'"/><xsl:with-param name="value" select="f:get(., 'administrationReference')"/></xsl:call-template>
          </DatiCassaPrevidenziale>
        </xsl:for-each>
        <ImportoTotaleDocumento><xsl:value-of select="f:amt(f:get($totals, 'taxInclusiveAmount'))"/></ImportoTotaleDocumento>
        <xsl:if test="f:has(f:get($totals, 'roundingAmount'))"><Arrotondamento><xsl:value-of select="f:amt(f:get($totals, 'roundingAmount'))"/></Arrotondamento></xsl:if>
        <xsl:for-each select="f:get($doc, 'notes')/j:map">
          <Causale><xsl:value-of select="string(f:get(., 'text'))"/></Causale>
        </xsl:for-each>
      </DatiGeneraliDocumento>
      <xsl:if test="f:has(f:get($doc, 'purchaseOrderReference'))">
        <xsl:variable name="po" select="f:get($it, 'purchaseOrder')"/>
        <DatiOrdineAcquisto>
          <IdDocumento><xsl:value-of select="string(f:get($doc, 'purchaseOrderReference'))"/></IdDocumento>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Data'"/><xsl:with-param name="value" select="f:get($po, 'date')"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'CodiceCUP'"/><xsl:with-param name="value" select="f:get($po, 'cup')"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'CodiceCIG'"/><xsl:with-param name="value" select="f:get($po, 'cig')"/></xsl:call-template>
        </DatiOrdineAcquisto>
      </xsl:if>
      <xsl:if test="f:has(f:get($doc, 'contractReference'))">
        <DatiContratto><IdDocumento><xsl:value-of select="string(f:get($doc, 'contractReference'))"/></IdDocumento></DatiContratto>
      </xsl:if>
      <xsl:if test="f:has(f:get($doc, 'receivingAdviceReference'))">
        <DatiRicezione><IdDocumento><xsl:value-of select="string(f:get($doc, 'receivingAdviceReference'))"/></IdDocumento></DatiRicezione>
      </xsl:if>
      <xsl:for-each select="f:get($doc, 'precedingInvoices')/j:map">
        <DatiFattureCollegate>
          <IdDocumento><xsl:value-of select="string(f:get(., 'number'))"/></IdDocumento>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Data'"/><xsl:with-param name="value" select="f:get(., 'issueDate')"/></xsl:call-template>
        </DatiFattureCollegate>
      </xsl:for-each>
    </DatiGenerali>
  </xsl:template>

  <!-- ============================================================ DatiBeniServizi -->

  <xsl:template name="dati-beni-servizi">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="it" select="f:it($doc)"/>
    <xsl:variable name="lines" select="f:get($doc, 'lines')/j:map"/>
    <xsl:variable name="withholdingLines" select="f:get($it, 'withholdingLines')/j:string/string()"/>
    <xsl:variable name="withholding" select="exists(f:get($it, 'withholdings')/j:map)"/>
    <xsl:variable name="fundCharges" select="f:get($it, 'pensionFunds')/j:map/f:get(., 'chargeIndex')/xs:integer(f:dec(.))"/>
    <DatiBeniServizi>
      <xsl:for-each select="$lines">
        <xsl:variable name="price" select="f:get(., 'price')"/>
        <xsl:variable name="vat" select="f:get(., 'vat')"/>
        <xsl:variable name="category" select="string(f:get($vat, 'categoryCode'))"/>
        <xsl:variable name="item" select="f:get(., 'item')"/>
        <xsl:variable name="period" select="f:get(., 'period')"/>
        <xsl:variable name="baseQuantity" select="if (f:has(f:get($price, 'baseQuantity'))) then f:dec(f:get($price, 'baseQuantity')) else 1"/>
        <DettaglioLinee>
          <NumeroLinea><xsl:value-of select="position()"/></NumeroLinea>
          <xsl:for-each select="f:get($item, 'standardId')">
            <CodiceArticolo>
              <CodiceTipo><xsl:value-of select="if (string(f:get(., 'schemeId')) = '0160') then 'EAN' else string(f:get(., 'schemeId'))"/></CodiceTipo>
              <CodiceValore><xsl:value-of select="string(f:get(., 'id'))"/></CodiceValore>
            </CodiceArticolo>
          </xsl:for-each>
          <xsl:if test="f:has(f:get($item, 'sellerId'))">
            <CodiceArticolo><CodiceTipo>Codice Art. fornitore</CodiceTipo><CodiceValore><xsl:value-of select="string(f:get($item, 'sellerId'))"/></CodiceValore></CodiceArticolo>
          </xsl:if>
          <xsl:if test="f:has(f:get($item, 'buyerId'))">
            <CodiceArticolo><CodiceTipo>Codice Art. cliente</CodiceTipo><CodiceValore><xsl:value-of select="string(f:get($item, 'buyerId'))"/></CodiceValore></CodiceArticolo>
          </xsl:if>
          <Descrizione><xsl:value-of select="string-join((f:get($item, 'name'), f:get($item, 'description'))[f:has(.)], ' - ')"/></Descrizione>
          <Quantita><xsl:value-of select="f:amt8(f:get(., 'quantity'))"/></Quantita>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'UnitaMisura'"/><xsl:with-param name="value" select="f:get(., 'unitCode')"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'DataInizioPeriodo'"/><xsl:with-param name="value" select="f:get($period, 'startDate')"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'DataFinePeriodo'"/><xsl:with-param name="value" select="f:get($period, 'endDate')"/></xsl:call-template>
          <PrezzoUnitario><xsl:value-of select="f:amt8(f:dec(f:get($price, 'netAmount')) div $baseQuantity)"/></PrezzoUnitario>
          <!-- BG-27/BG-28 line allowances and charges: ScontoMaggiorazione applies to the unit price, so each amount is
               written per unit; one that does not divide by the quantity within eight decimals is refused -->
          <xsl:variable name="quantity" select="f:dec(f:get(., 'quantity'))"/>
          <xsl:variable name="lineId" select="string(f:get(., 'id'))"/>
          <xsl:for-each select="f:get(., 'allowances')/j:map, f:get(., 'charges')/j:map">
            <xsl:variable name="amount" select="f:dec(f:get(., 'amount'))"/>
            <xsl:variable name="perUnit" select="if ($quantity = 0) then () else round-half-to-even($amount div $quantity, 8)"/>
            <xsl:if test="empty($perUnit) or $perUnit * $quantity ne $amount">
              <xsl:sequence select="f:fail('FATTURAPA-LINE-ALLOWANCE', 'Line ' || $lineId || ': allowance or charge ' || string($amount)
                  || ' is not a whole amount per unit of quantity ' || string($quantity) || '; FatturaPA applies it to the unit price: send the net price instead')"/>
            </xsl:if>
            <ScontoMaggiorazione>
              <Tipo><xsl:value-of select="if (../@key = 'allowances') then 'SC' else 'MG'"/></Tipo>
              <Importo><xsl:value-of select="f:amt8($perUnit)"/></Importo>
            </ScontoMaggiorazione>
          </xsl:for-each>
          <PrezzoTotale><xsl:value-of select="f:amt8(f:get(., 'netAmount'))"/></PrezzoTotale>
          <AliquotaIVA><xsl:value-of select="f:aliquota($category, f:get($vat, 'rate'))"/></AliquotaIVA>
          <xsl:if test="$withholding and (empty($withholdingLines) or string(f:get(., 'id')) = $withholdingLines)"><Ritenuta>SI</Ritenuta></xsl:if>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Natura'"/><xsl:with-param name="value" select="f:natura(., $category)"/></xsl:call-template>
        </DettaglioLinee>
      </xsl:for-each>
      <!-- BG-20/BG-21 document allowances and charges as lines (SC discount, AC accessory charge), so each
           DatiRiepilogo's ImponibileImporto is the sum of its lines as SDI checks; a charge that carries a pension
           fund contribution is written as DatiCassaPrevidenziale instead -->
      <xsl:variable name="allowances" select="f:get($doc, 'allowances')/j:map"/>
      <xsl:variable name="charges" select="f:get($doc, 'charges')/j:map[not((position() - 1) = $fundCharges)]"/>
      <xsl:for-each select="$allowances, $charges">
        <xsl:variable name="allowance" select="position() le count($allowances)"/>
        <xsl:variable name="category" select="string(f:get(., 'vatCategoryCode'))"/>
        <xsl:variable name="amount" select="(if ($allowance) then -1 else 1) * f:dec(f:get(., 'amount'))"/>
        <DettaglioLinee>
          <NumeroLinea><xsl:value-of select="count($lines) + position()"/></NumeroLinea>
          <TipoCessionePrestazione><xsl:value-of select="if ($allowance) then 'SC' else 'AC'"/></TipoCessionePrestazione>
          <Descrizione><xsl:value-of select="(f:get(., 'reason')[f:has(.)]/string(), f:get(., 'reasonCode')[f:has(.)]/string(), if ($allowance) then 'Sconto' else 'Spese')[1]"/></Descrizione>
          <PrezzoUnitario><xsl:value-of select="f:amt8($amount)"/></PrezzoUnitario>
          <PrezzoTotale><xsl:value-of select="f:amt8($amount)"/></PrezzoTotale>
          <AliquotaIVA><xsl:value-of select="f:aliquota($category, f:get(., 'vatRate'))"/></AliquotaIVA>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Natura'"/><xsl:with-param name="value" select="f:natura(., $category)"/></xsl:call-template>
        </DettaglioLinee>
      </xsl:for-each>
      <!-- BG-23 VAT breakdown: DatiRiepilogo; category B (split payment) or extensions.it.vatExigibility sets EsigibilitaIVA -->
      <xsl:for-each select="f:get($doc, 'vatBreakdown')/j:map">
        <xsl:variable name="category" select="string(f:get(., 'categoryCode'))"/>
        <xsl:variable name="exigibility" select="if ($category = 'B') then 'S' else if ($category = 'S') then string(f:get($it, 'vatExigibility')) else ''"/>
        <DatiRiepilogo>
          <AliquotaIVA><xsl:value-of select="f:aliquota($category, f:get(., 'rate'))"/></AliquotaIVA>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Natura'"/><xsl:with-param name="value" select="f:natura(., $category)"/></xsl:call-template>
          <ImponibileImporto><xsl:value-of select="f:amt(f:get(., 'taxableAmount'))"/></ImponibileImporto>
          <Imposta><xsl:value-of select="f:amt(f:get(., 'taxAmount'))"/></Imposta>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'EsigibilitaIVA'"/><xsl:with-param name="value" select="$exigibility"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'RiferimentoNormativo'"/>
            <xsl:with-param name="value" select="(f:get(., 'exemptionReason')[f:has(.)], f:get(., 'exemptionReasonCode')[f:has(.)])[1]"/></xsl:call-template>
        </DatiRiepilogo>
      </xsl:for-each>
    </DatiBeniServizi>
  </xsl:template>

  <!-- ============================================================ DatiPagamento -->

  <xsl:template name="dati-pagamento">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="it" select="f:it($doc)"/>
    <xsl:variable name="payment" select="f:get($doc, 'paymentInstructions')"/>
    <xsl:if test="exists($payment)">
      <xsl:variable name="totals" select="f:get($doc, 'totals')"/>
      <xsl:variable name="splitVat" select="sum(f:get($doc, 'vatBreakdown')/j:map[string(f:get(., 'categoryCode')) = 'B'
          or (string(f:get(., 'categoryCode')) = 'S' and string(f:get($it, 'vatExigibility')) = 'S')]/f:dec(f:get(., 'taxAmount')))"/>
      <xsl:variable name="withheld" select="sum(f:get($it, 'withholdings')/j:map/f:dec(f:get(., 'amount')))"/>
      <xsl:variable name="amount" select="if (f:has(f:get($it, 'paymentAmount'))) then f:dec(f:get($it, 'paymentAmount'))
          else f:dec(f:get($totals, 'payableAmount')) - $withheld - $splitVat"/>
      <xsl:variable name="account" select="f:get($payment, 'creditTransfers')/j:map[1]"/>
      <DatiPagamento>
        <CondizioniPagamento><xsl:value-of select="(f:get($it, 'paymentConditions')[f:has(.)]/string(), 'TP02')[1]"/></CondizioniPagamento>
        <DettaglioPagamento>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Beneficiario'"/><xsl:with-param name="value" select="f:get($account, 'accountName')"/></xsl:call-template>
          <ModalitaPagamento><xsl:value-of select="f:modalita($doc)"/></ModalitaPagamento>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'DataScadenzaPagamento'"/><xsl:with-param name="value" select="f:get($doc, 'dueDate')"/></xsl:call-template>
          <ImportoPagamento><xsl:value-of select="f:amt($amount)"/></ImportoPagamento>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'IBAN'"/><xsl:with-param name="value" select="f:get($account, 'accountId')"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'BIC'"/><xsl:with-param name="value" select="f:get($account, 'serviceProviderId')"/></xsl:call-template>
        </DettaglioPagamento>
      </DatiPagamento>
    </xsl:if>
  </xsl:template>

  <!-- BG-24 supporting documents with an embedded attachment: Allegati -->
  <xsl:template match="j:map" mode="allegato">
    <xsl:variable name="attachment" select="f:get(., 'attachment')"/>
    <Allegati>
      <NomeAttachment><xsl:value-of select="string(f:get($attachment, 'filename'))"/></NomeAttachment>
      <FormatoAttachment><xsl:value-of select="upper-case(tokenize(string(f:get($attachment, 'mimeCode')), '/')[last()])"/></FormatoAttachment>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'DescrizioneAttachment'"/><xsl:with-param name="value" select="f:get(., 'description')"/></xsl:call-template>
      <Attachment><xsl:value-of select="string(f:get($attachment, 'content'))"/></Attachment>
    </Allegati>
  </xsl:template>

</xsl:stylesheet>
