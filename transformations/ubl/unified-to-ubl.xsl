<?xml version="1.0" encoding="UTF-8"?>
<!--
  unified-to-ubl.xsl : unified JSON invoice model (EN 16931 semantic model as JSON, see
  docs/decisions/0001-unified-model.md) to UBL 2.1 Invoice / CreditNote following the EN 16931-3-2
  UBL syntax binding, Peppol BIS Billing 3.0 and XRechnung 3.0 (UBL).

  Input : the XPath 3.1 XML representation of the JSON `document` object (fn:json-to-xml).
  Output: ubl:Invoice or ubl:CreditNote; element order follows the UBL 2.1 XSD sequences;
          no empty elements are written (PEPPOL-EN16931-R008).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:j="http://www.w3.org/2005/xpath-functions"
    xmlns:f="urn:einvoicing-hub:functions"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    exclude-result-prefixes="xs j f">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <!-- 'Invoice' | 'CreditNote'; empty: decided by BT-3 -->
  <xsl:param name="documentType" as="xs:string" select="''"/>
  <!-- BT-24 -->
  <xsl:param name="customizationId" as="xs:string"
      select="'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0'"/>
  <!-- BT-23 default; document.businessProcessType overrides it -->
  <xsl:param name="profileId" as="xs:string" select="'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0'"/>

  <!-- BT-32 TaxScheme/ID (anything but VAT): Peppol examples use 'TAX', XRechnung uses 'FC' (Steuernummer) -->
  <xsl:param name="taxRegistrationScheme" as="xs:string"
      select="if (contains($customizationId, 'xrechnung')) then 'FC' else 'TAX'"/>

  <xsl:variable name="INV" select="'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'"/>
  <xsl:variable name="CN" select="'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2'"/>
  <!-- BT-3 codes that make a credit note when no documentType is given -->
  <xsl:variable name="creditNoteTypeCodes" select="('381', '396', '81', '83', '532')"/>

  <!-- ============================================================ helpers -->

  <!-- The helpers f:get, f:has and f:num mean the same in unified-to-cii.xsl (keep them identical). -->

  <!-- child of a JSON map by key (keys are unique: the hub refuses duplicate keys) -->
  <xsl:function name="f:get" as="element()?">
    <xsl:param name="map" as="element()?"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="$map/*[@key = $key][1]"/>
  </xsl:function>

  <!-- true when a value carries content: a non-blank string/number/boolean (JSON value or computed string),
       or a map/array with such a value somewhere inside -->
  <xsl:function name="f:has" as="xs:boolean">
    <xsl:param name="v" as="item()*"/>
    <xsl:sequence select="some $x in $v satisfies
        (if ($x instance of element(j:map) or $x instance of element(j:array))
         then exists($x//(j:string | j:number | j:boolean)[normalize-space(.) ne ''])
         else normalize-space(string($x)) ne '')"/>
  </xsl:function>

  <!-- numbers keep their lexical form (decision 0001); an exponent form (1.897112416E7) is rewritten as a
       plain decimal by moving the decimal point in the digit string, never through xs:double -->
  <xsl:function name="f:num" as="xs:string">
    <xsl:param name="v" as="item()?"/>
    <xsl:variable name="s" select="normalize-space(string($v))"/>
    <xsl:variable name="re" select="'^([+-]?)([0-9]*)\.?([0-9]*)[eE]([+-]?[0-9]+)$'"/>
    <xsl:choose>
      <xsl:when test="matches($s, $re) and not(matches($s, '^[+-]?\.?[eE]'))">
        <xsl:variable name="int" select="replace($s, $re, '$2')"/>
        <xsl:variable name="digits" select="$int || replace($s, $re, '$3')"/>
        <xsl:variable name="point" select="string-length($int) + xs:integer(replace($s, $re, '$4'))"/>
        <xsl:variable name="len" select="string-length($digits)"/>
        <xsl:variable name="plain" select="
            if ($point ge $len) then $digits || f:zeros($point - $len)
            else if ($point le 0) then '0.' || f:zeros(-$point) || $digits
            else substring($digits, 1, $point) || '.' || substring($digits, $point + 1)"/>
        <xsl:sequence select="replace($s, $re, '$1') || replace($plain, '^0+([0-9])', '$1')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$s"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="f:zeros" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="string-join((1 to $n) ! '0')"/>
  </xsl:function>

  <!-- exact sum of amounts, written with the largest number of decimals among them (no floating point) -->
  <xsl:function name="f:sum" as="xs:string">
    <xsl:param name="amounts" as="element()*"/>
    <xsl:variable name="lexical" select="$amounts ! f:num(.)"/>
    <xsl:variable name="scale" select="max((0, $lexical ! string-length(substring-after(., '.'))))"/>
    <xsl:sequence select="format-number(sum($lexical ! xs:decimal(.)), if ($scale = 0) then '0' else '0.' || f:zeros($scale))"/>
  </xsl:function>

  <!-- identifier value: a plain string or an object {id, schemeId} -->
  <xsl:function name="f:id" as="xs:string">
    <xsl:param name="v" as="element()?"/>
    <xsl:sequence select="if ($v/self::j:map) then string(f:get($v, 'id')) else string($v)"/>
  </xsl:function>
  <xsl:function name="f:scheme" as="xs:string">
    <xsl:param name="v" as="element()?"/>
    <xsl:sequence select="string(f:get($v[self::j:map], 'schemeId'))"/>
  </xsl:function>

  <!-- cbc text element, only when the value is present -->
  <xsl:template name="text">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="item()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="cbc:{$name}"><xsl:value-of select="string($value)"/></xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- cbc identifier element with optional @schemeID (or another scheme attribute name) -->
  <xsl:template name="ident">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="element()?"/>
    <xsl:param name="attr" as="xs:string" select="'schemeID'"/>
    <xsl:param name="defaultScheme" as="xs:string" select="''"/>
    <xsl:if test="f:has(f:id($value))">
      <xsl:element name="cbc:{$name}">
        <xsl:variable name="sch" select="(f:scheme($value)[. ne ''], $defaultScheme[. ne ''])[1]"/>
        <xsl:if test="exists($sch)"><xsl:attribute name="{$attr}" select="$sch"/></xsl:if>
        <xsl:value-of select="f:id($value)"/>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- cbc amount element with @currencyID -->
  <xsl:template name="amount">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="item()?"/>
    <xsl:param name="currency" as="xs:string" select="f:currency(.)"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="cbc:{$name}">
        <xsl:attribute name="currencyID" select="$currency"/>
        <xsl:value-of select="f:num($value)"/>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ globals -->

  <!-- The stylesheet may run without a global context item (s9api applyTemplates), so values of the
       document are reached from the context node instead of global variables. -->
  <xsl:function name="f:doc" as="element(j:map)">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="root($n)/j:map"/>
  </xsl:function>
  <xsl:function name="f:currency" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="normalize-space(f:get(f:doc($n), 'currencyCode'))"/>
  </xsl:function>
  <!-- BT-6, when it differs from BT-5: a VAT accounting currency equal to the invoice currency means the
       VAT is accounted in the invoice currency, which is what an absent BT-6 says (decision 0006) -->
  <xsl:function name="f:taxCurrency" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:variable name="c" select="string(f:get(f:doc($n), 'taxCurrencyCode'))"/>
    <xsl:sequence select="if ($c = f:currency($n)) then '' else $c"/>
  </xsl:function>
  <xsl:function name="f:isCN" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="
        if ($documentType = 'CreditNote') then true()
        else if ($documentType = 'Invoice') then false()
        else normalize-space(f:get(f:doc($n), 'typeCode')) = $creditNoteTypeCodes"/>
  </xsl:function>

  <!-- ============================================================ document -->

  <xsl:template match="/">
    <xsl:element name="{if (f:isCN(.)) then 'CreditNote' else 'Invoice'}" namespace="{if (f:isCN(.)) then $CN else $INV}">
      <xsl:namespace name="cac" select="'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'"/>
      <xsl:namespace name="cbc" select="'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'"/>
      <xsl:call-template name="header"/>
      <xsl:call-template name="references"/>
      <xsl:call-template name="parties"/>
      <xsl:call-template name="delivery"/>
      <xsl:call-template name="payment"/>
      <xsl:call-template name="allowances-charges"/>
      <xsl:call-template name="tax-total"/>
      <xsl:call-template name="monetary-total"/>
      <xsl:apply-templates select="f:get(f:doc(.), 'lines')/j:map" mode="line"/>
    </xsl:element>
  </xsl:template>

  <!-- BT-24, BT-23, BT-1, BT-2, BT-9, BT-3, BG-1, BT-7, BT-5, BT-6, BT-19, BT-10 -->
  <xsl:template name="header">
    <cbc:CustomizationID><xsl:value-of select="$customizationId"/></cbc:CustomizationID>
    <cbc:ProfileID>
      <xsl:value-of select="(normalize-space(f:get(f:doc(.), 'businessProcessType'))[. ne ''], $profileId)[1]"/>
    </cbc:ProfileID>
    <xsl:call-template name="text"><xsl:with-param name="name" select="'ID'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'number')"/></xsl:call-template>
    <xsl:call-template name="text"><xsl:with-param name="name" select="'IssueDate'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'issueDate')"/></xsl:call-template>
    <xsl:choose>
      <xsl:when test="f:isCN(.)">
        <!-- CreditNote: TaxPointDate precedes the type code; BT-9 goes to PaymentMeans/PaymentDueDate -->
        <xsl:call-template name="text"><xsl:with-param name="name" select="'TaxPointDate'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'taxPointDate')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'CreditNoteTypeCode'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'typeCode')"/></xsl:call-template>
        <xsl:call-template name="notes"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'DueDate'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'dueDate')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'InvoiceTypeCode'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'typeCode')"/></xsl:call-template>
        <xsl:call-template name="notes"/>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'TaxPointDate'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'taxPointDate')"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:call-template name="text"><xsl:with-param name="name" select="'DocumentCurrencyCode'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'currencyCode')"/></xsl:call-template>
    <xsl:call-template name="text"><xsl:with-param name="name" select="'TaxCurrencyCode'"/><xsl:with-param name="value" select="f:taxCurrency(.)"/></xsl:call-template>
    <xsl:call-template name="text"><xsl:with-param name="name" select="'AccountingCost'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'buyerAccountingReference')"/></xsl:call-template>
    <xsl:call-template name="text"><xsl:with-param name="name" select="'BuyerReference'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'buyerReference')"/></xsl:call-template>
  </xsl:template>

  <!-- BG-1: BT-22 text, BT-21 subject code as '#CODE#text' (EN 16931-3-2 convention) -->
  <xsl:template name="notes">
    <xsl:for-each select="f:get(f:doc(.), 'notes')/j:map[f:has(f:get(., 'text'))]">
      <cbc:Note>
        <xsl:if test="f:has(f:get(., 'subjectCode'))">#<xsl:value-of select="string(f:get(., 'subjectCode'))"/>#</xsl:if>
        <xsl:value-of select="f:get(., 'text')"/>
      </cbc:Note>
    </xsl:for-each>
  </xsl:template>

  <!-- BG-14, BT-8, BT-13/14, BG-3, BT-16, BT-15, BT-17, BT-12, BT-18, BG-24, BT-11 -->
  <xsl:template name="references">
    <xsl:variable name="period" select="f:get(f:doc(.), 'invoicingPeriod')"/>
    <xsl:if test="f:has(($period/*, f:get(f:doc(.), 'vatPointDateCode')))">
      <cac:InvoicePeriod>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'StartDate'"/><xsl:with-param name="value" select="f:get($period, 'startDate')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'EndDate'"/><xsl:with-param name="value" select="f:get($period, 'endDate')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'DescriptionCode'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'vatPointDateCode')"/></xsl:call-template>
      </cac:InvoicePeriod>
    </xsl:if>
    <!-- BT-13 purchase order, BT-14 sales order (ID 'NA' when only the sales order is known, per Peppol) -->
    <xsl:if test="f:has((f:get(f:doc(.), 'purchaseOrderReference'), f:get(f:doc(.), 'salesOrderReference')))">
      <cac:OrderReference>
        <cbc:ID><xsl:value-of select="(normalize-space(f:get(f:doc(.), 'purchaseOrderReference'))[. ne ''], 'NA')[1]"/></cbc:ID>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'SalesOrderID'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'salesOrderReference')"/></xsl:call-template>
      </cac:OrderReference>
    </xsl:if>
    <!-- BG-3 preceding invoices -->
    <xsl:for-each select="f:get(f:doc(.), 'precedingInvoices')/j:map[f:has(f:get(., 'number'))]">
      <cac:BillingReference>
        <cac:InvoiceDocumentReference>
          <cbc:ID><xsl:value-of select="string(f:get(., 'number'))"/></cbc:ID>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'IssueDate'"/><xsl:with-param name="value" select="f:get(., 'issueDate')"/></xsl:call-template>
        </cac:InvoiceDocumentReference>
      </cac:BillingReference>
    </xsl:for-each>
    <xsl:call-template name="doc-ref"><xsl:with-param name="name" select="'DespatchDocumentReference'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'despatchAdviceReference')"/></xsl:call-template>
    <xsl:call-template name="doc-ref"><xsl:with-param name="name" select="'ReceiptDocumentReference'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'receivingAdviceReference')"/></xsl:call-template>
    <xsl:choose>
      <xsl:when test="f:isCN(.)">
        <!-- CreditNote sequence: Contract, Additional, (Statement), Originator; no ProjectReference -->
        <xsl:call-template name="doc-ref"><xsl:with-param name="name" select="'ContractDocumentReference'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'contractReference')"/></xsl:call-template>
        <xsl:call-template name="additional-doc-refs"/>
        <xsl:call-template name="doc-ref"><xsl:with-param name="name" select="'OriginatorDocumentReference'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'tenderOrLotReference')"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="doc-ref"><xsl:with-param name="name" select="'OriginatorDocumentReference'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'tenderOrLotReference')"/></xsl:call-template>
        <xsl:call-template name="doc-ref"><xsl:with-param name="name" select="'ContractDocumentReference'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'contractReference')"/></xsl:call-template>
        <xsl:call-template name="additional-doc-refs"/>
        <xsl:if test="f:has(f:get(f:doc(.), 'projectReference'))">
          <cac:ProjectReference><cbc:ID><xsl:value-of select="string(f:get(f:doc(.), 'projectReference'))"/></cbc:ID></cac:ProjectReference>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="doc-ref">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="element()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="cac:{$name}"><cbc:ID><xsl:value-of select="string($value)"/></cbc:ID></xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- BT-18 invoiced object (type 130), BG-24 supporting documents, BT-11 project on a CreditNote (type 50) -->
  <xsl:template name="additional-doc-refs">
    <xsl:variable name="object" select="f:get(f:doc(.), 'invoicedObjectIdentifier')"/>
    <xsl:if test="f:has(f:id($object))">
      <cac:AdditionalDocumentReference>
        <xsl:call-template name="ident"><xsl:with-param name="name" select="'ID'"/><xsl:with-param name="value" select="$object"/></xsl:call-template>
        <cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>
      </cac:AdditionalDocumentReference>
    </xsl:if>
    <xsl:for-each select="f:get(f:doc(.), 'supportingDocuments')/j:map[f:has(f:get(., 'id'))]">
      <xsl:variable name="att" select="f:get(., 'attachment')"/>
      <cac:AdditionalDocumentReference>
        <cbc:ID><xsl:value-of select="string(f:get(., 'id'))"/></cbc:ID>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'DocumentDescription'"/><xsl:with-param name="value" select="f:get(., 'description')"/></xsl:call-template>
        <xsl:if test="f:has(f:get($att, 'content')) or f:has(f:get(., 'externalUri'))">
          <cac:Attachment>
            <xsl:if test="f:has(f:get($att, 'content'))">
              <cbc:EmbeddedDocumentBinaryObject>
                <xsl:if test="f:has(f:get($att, 'mimeCode'))"><xsl:attribute name="mimeCode" select="string(f:get($att, 'mimeCode'))"/></xsl:if>
                <xsl:if test="f:has(f:get($att, 'filename'))"><xsl:attribute name="filename" select="string(f:get($att, 'filename'))"/></xsl:if>
                <xsl:value-of select="replace(string(f:get($att, 'content')), '\s', '')"/>
              </cbc:EmbeddedDocumentBinaryObject>
            </xsl:if>
            <xsl:if test="f:has(f:get(., 'externalUri'))">
              <cac:ExternalReference><cbc:URI><xsl:value-of select="string(f:get(., 'externalUri'))"/></cbc:URI></cac:ExternalReference>
            </xsl:if>
          </cac:Attachment>
        </xsl:if>
      </cac:AdditionalDocumentReference>
    </xsl:for-each>
    <xsl:if test="f:isCN(.) and f:has(f:get(f:doc(.), 'projectReference'))">
      <cac:AdditionalDocumentReference>
        <cbc:ID><xsl:value-of select="string(f:get(f:doc(.), 'projectReference'))"/></cbc:ID>
        <cbc:DocumentTypeCode>50</cbc:DocumentTypeCode>
      </cac:AdditionalDocumentReference>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ parties -->

  <xsl:template name="parties">
    <!-- BT-90 creditor identifier goes to the payee when there is one, else to the seller -->
    <xsl:variable name="creditorId" select="f:get(f:get(f:get(f:doc(.), 'paymentInstructions'), 'directDebit'), 'creditorId')"/>
    <xsl:variable name="payee" select="f:get(f:doc(.), 'payee')"/>
    <!-- BG-4 seller -->
    <xsl:variable name="s" select="f:get(f:doc(.), 'seller')"/>
    <cac:AccountingSupplierParty>
      <cac:Party>
        <xsl:call-template name="ident"><xsl:with-param name="name" select="'EndpointID'"/><xsl:with-param name="value" select="f:get($s, 'electronicAddress')"/></xsl:call-template>
        <xsl:for-each select="f:get($s, 'identifiers')/*">
          <xsl:call-template name="party-identification"><xsl:with-param name="value" select="."/></xsl:call-template>
        </xsl:for-each>
        <xsl:if test="not(f:has($payee/*))">
          <xsl:call-template name="party-identification"><xsl:with-param name="value" select="$creditorId"/><xsl:with-param name="defaultScheme" select="'SEPA'"/></xsl:call-template>
        </xsl:if>
        <xsl:call-template name="party-name"><xsl:with-param name="value" select="f:get($s, 'tradingName')"/></xsl:call-template>
        <xsl:call-template name="address"><xsl:with-param name="a" select="f:get($s, 'address')"/></xsl:call-template>
        <xsl:call-template name="party-tax-scheme"><xsl:with-param name="value" select="f:get($s, 'vatId')"/></xsl:call-template>
        <!-- BT-32: tax registration other than VAT -->
        <xsl:call-template name="party-tax-scheme"><xsl:with-param name="value" select="f:get($s, 'taxRegistrationId')"/><xsl:with-param name="scheme" select="$taxRegistrationScheme"/></xsl:call-template>
        <xsl:call-template name="legal-entity">
          <xsl:with-param name="name" select="f:get($s, 'name')"/>
          <xsl:with-param name="registration" select="f:get($s, 'legalRegistration')"/>
          <xsl:with-param name="legalForm" select="f:get($s, 'additionalLegalInfo')"/>
        </xsl:call-template>
        <xsl:call-template name="contact"><xsl:with-param name="c" select="f:get($s, 'contact')"/></xsl:call-template>
      </cac:Party>
    </cac:AccountingSupplierParty>

    <!-- BG-7 buyer -->
    <xsl:variable name="b" select="f:get(f:doc(.), 'buyer')"/>
    <cac:AccountingCustomerParty>
      <cac:Party>
        <xsl:call-template name="ident"><xsl:with-param name="name" select="'EndpointID'"/><xsl:with-param name="value" select="f:get($b, 'electronicAddress')"/></xsl:call-template>
        <xsl:call-template name="party-identification"><xsl:with-param name="value" select="f:get($b, 'identifier')"/></xsl:call-template>
        <xsl:call-template name="party-name"><xsl:with-param name="value" select="f:get($b, 'tradingName')"/></xsl:call-template>
        <xsl:call-template name="address"><xsl:with-param name="a" select="f:get($b, 'address')"/></xsl:call-template>
        <xsl:call-template name="party-tax-scheme"><xsl:with-param name="value" select="f:get($b, 'vatId')"/></xsl:call-template>
        <xsl:call-template name="legal-entity">
          <xsl:with-param name="name" select="f:get($b, 'name')"/>
          <xsl:with-param name="registration" select="f:get($b, 'legalRegistration')"/>
        </xsl:call-template>
        <xsl:call-template name="contact"><xsl:with-param name="c" select="f:get($b, 'contact')"/></xsl:call-template>
      </cac:Party>
    </cac:AccountingCustomerParty>

    <!-- BG-10 payee -->
    <xsl:if test="f:has($payee/*)">
      <cac:PayeeParty>
        <xsl:call-template name="party-identification"><xsl:with-param name="value" select="f:get($payee, 'identifier')"/></xsl:call-template>
        <xsl:call-template name="party-identification"><xsl:with-param name="value" select="$creditorId"/><xsl:with-param name="defaultScheme" select="'SEPA'"/></xsl:call-template>
        <xsl:call-template name="party-name"><xsl:with-param name="value" select="f:get($payee, 'name')"/></xsl:call-template>
        <xsl:if test="f:has(f:id(f:get($payee, 'legalRegistration')))">
          <cac:PartyLegalEntity>
            <xsl:call-template name="ident"><xsl:with-param name="name" select="'CompanyID'"/><xsl:with-param name="value" select="f:get($payee, 'legalRegistration')"/></xsl:call-template>
          </cac:PartyLegalEntity>
        </xsl:if>
      </cac:PayeeParty>
    </xsl:if>

    <!-- BG-11 seller tax representative -->
    <xsl:variable name="t" select="f:get(f:doc(.), 'taxRepresentative')"/>
    <xsl:if test="f:has($t/*)">
      <cac:TaxRepresentativeParty>
        <xsl:call-template name="party-name"><xsl:with-param name="value" select="f:get($t, 'name')"/></xsl:call-template>
        <xsl:call-template name="address"><xsl:with-param name="a" select="f:get($t, 'address')"/></xsl:call-template>
        <xsl:call-template name="party-tax-scheme"><xsl:with-param name="value" select="f:get($t, 'vatId')"/></xsl:call-template>
      </cac:TaxRepresentativeParty>
    </xsl:if>
  </xsl:template>

  <xsl:template name="party-identification">
    <xsl:param name="value" as="element()?"/>
    <xsl:param name="defaultScheme" as="xs:string" select="''"/>
    <xsl:if test="f:has(f:id($value))">
      <cac:PartyIdentification>
        <xsl:call-template name="ident">
          <xsl:with-param name="name" select="'ID'"/>
          <xsl:with-param name="value" select="$value"/>
          <xsl:with-param name="defaultScheme" select="$defaultScheme"/>
        </xsl:call-template>
      </cac:PartyIdentification>
    </xsl:if>
  </xsl:template>

  <xsl:template name="party-name">
    <xsl:param name="value" as="element()?"/>
    <xsl:if test="f:has($value)">
      <cac:PartyName><cbc:Name><xsl:value-of select="string($value)"/></cbc:Name></cac:PartyName>
    </xsl:if>
  </xsl:template>

  <!-- BG-5 / BG-8 / BG-12 / BG-15: BT-35, BT-36, BT-37, BT-38, BT-39, BT-162, BT-40 -->
  <xsl:template name="address">
    <xsl:param name="a" as="element()?"/>
    <xsl:param name="element" as="xs:string" select="'PostalAddress'"/>
    <xsl:if test="f:has($a/*)">
      <xsl:element name="cac:{$element}">
        <xsl:call-template name="text"><xsl:with-param name="name" select="'StreetName'"/><xsl:with-param name="value" select="f:get($a, 'line1')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'AdditionalStreetName'"/><xsl:with-param name="value" select="f:get($a, 'line2')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'CityName'"/><xsl:with-param name="value" select="f:get($a, 'city')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'PostalZone'"/><xsl:with-param name="value" select="f:get($a, 'postalCode')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'CountrySubentity'"/><xsl:with-param name="value" select="f:get($a, 'countrySubdivision')"/></xsl:call-template>
        <xsl:if test="f:has(f:get($a, 'line3'))">
          <cac:AddressLine><cbc:Line><xsl:value-of select="string(f:get($a, 'line3'))"/></cbc:Line></cac:AddressLine>
        </xsl:if>
        <xsl:if test="f:has(f:get($a, 'countryCode'))">
          <cac:Country><cbc:IdentificationCode><xsl:value-of select="string(f:get($a, 'countryCode'))"/></cbc:IdentificationCode></cac:Country>
        </xsl:if>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- BT-31 / BT-48 / BT-63 (TaxScheme VAT) and BT-32 (TaxScheme other than VAT) -->
  <xsl:template name="party-tax-scheme">
    <xsl:param name="value" as="element()?"/>
    <xsl:param name="scheme" as="xs:string" select="'VAT'"/>
    <xsl:if test="f:has(f:id($value))">
      <cac:PartyTaxScheme>
        <cbc:CompanyID><xsl:value-of select="f:id($value)"/></cbc:CompanyID>
        <cac:TaxScheme><cbc:ID><xsl:value-of select="$scheme"/></cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
    </xsl:if>
  </xsl:template>

  <!-- BT-27 / BT-44 registration name, BT-30 / BT-47 legal registration, BT-33 additional legal info -->
  <xsl:template name="legal-entity">
    <xsl:param name="name" as="element()?"/>
    <xsl:param name="registration" as="element()?"/>
    <xsl:param name="legalForm" as="element()?" select="()"/>
    <xsl:if test="f:has(($name, f:id($registration), $legalForm))">
      <cac:PartyLegalEntity>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'RegistrationName'"/><xsl:with-param name="value" select="$name"/></xsl:call-template>
        <xsl:call-template name="ident"><xsl:with-param name="name" select="'CompanyID'"/><xsl:with-param name="value" select="$registration"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'CompanyLegalForm'"/><xsl:with-param name="value" select="$legalForm"/></xsl:call-template>
      </cac:PartyLegalEntity>
    </xsl:if>
  </xsl:template>

  <!-- BG-6 / BG-9 contact -->
  <xsl:template name="contact">
    <xsl:param name="c" as="element()?"/>
    <xsl:if test="f:has($c/*)">
      <cac:Contact>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'Name'"/><xsl:with-param name="value" select="f:get($c, 'name')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'Telephone'"/><xsl:with-param name="value" select="f:get($c, 'phone')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'ElectronicMail'"/><xsl:with-param name="value" select="f:get($c, 'email')"/></xsl:call-template>
      </cac:Contact>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ delivery -->

  <!-- BG-13: BT-72 date, BT-71 location id, BG-15 address, BT-70 party name -->
  <xsl:template name="delivery">
    <xsl:variable name="d" select="f:get(f:doc(.), 'delivery')"/>
    <xsl:if test="f:has($d/*)">
      <cac:Delivery>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'ActualDeliveryDate'"/><xsl:with-param name="value" select="f:get($d, 'date')"/></xsl:call-template>
        <xsl:if test="f:has((f:id(f:get($d, 'locationId')), f:get($d, 'address')/*))">
          <cac:DeliveryLocation>
            <xsl:call-template name="ident"><xsl:with-param name="name" select="'ID'"/><xsl:with-param name="value" select="f:get($d, 'locationId')"/></xsl:call-template>
            <xsl:call-template name="address"><xsl:with-param name="a" select="f:get($d, 'address')"/><xsl:with-param name="element" select="'Address'"/></xsl:call-template>
          </cac:DeliveryLocation>
        </xsl:if>
        <xsl:if test="f:has(f:get($d, 'partyName'))">
          <cac:DeliveryParty>
            <xsl:call-template name="party-name"><xsl:with-param name="value" select="f:get($d, 'partyName')"/></xsl:call-template>
          </cac:DeliveryParty>
        </xsl:if>
      </cac:Delivery>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ payment -->

  <!-- BG-16 payment instructions: one cac:PaymentMeans per BG-17 account (else one), BT-20 payment terms -->
  <xsl:template name="payment">
    <xsl:variable name="p" select="f:get(f:doc(.), 'paymentInstructions')"/>
    <xsl:variable name="transfers" select="f:get($p, 'creditTransfers')/j:map[f:has(f:get(., 'accountId'))]"/>
    <xsl:if test="f:has(f:get($p, 'meansCode'))">
      <xsl:choose>
        <xsl:when test="exists($transfers)">
          <xsl:for-each select="$transfers">
            <xsl:call-template name="payment-means">
              <xsl:with-param name="p" select="$p"/>
              <xsl:with-param name="transfer" select="."/>
              <xsl:with-param name="first" select="position() = 1"/>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="payment-means">
            <xsl:with-param name="p" select="$p"/>
            <xsl:with-param name="transfer" select="()"/>
            <xsl:with-param name="first" select="true()"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
    <xsl:if test="f:has(f:get(f:doc(.), 'paymentTerms'))">
      <cac:PaymentTerms><cbc:Note><xsl:value-of select="f:get(f:doc(.), 'paymentTerms')"/></cbc:Note></cac:PaymentTerms>
    </xsl:if>
  </xsl:template>

  <xsl:template name="payment-means">
    <xsl:param name="p" as="element()"/>
    <xsl:param name="transfer" as="element()?"/>
    <xsl:param name="first" as="xs:boolean"/>
    <xsl:variable name="card" select="f:get($p, 'card')"/>
    <xsl:variable name="dd" select="f:get($p, 'directDebit')"/>
    <cac:PaymentMeans>
      <!-- BT-81 code, BT-82 text as @name (UBL-SR-46: once, on the first PaymentMeans) -->
      <cbc:PaymentMeansCode>
        <xsl:if test="$first and f:has(f:get($p, 'meansText'))"><xsl:attribute name="name" select="string(f:get($p, 'meansText'))"/></xsl:if>
        <xsl:value-of select="string(f:get($p, 'meansCode'))"/>
      </cbc:PaymentMeansCode>
      <!-- BT-9 on a CreditNote (UBL-SR-45: once, on the first PaymentMeans) -->
      <xsl:if test="$first and f:isCN(.)">
        <xsl:call-template name="text"><xsl:with-param name="name" select="'PaymentDueDate'"/><xsl:with-param name="value" select="f:get(f:doc(.), 'dueDate')"/></xsl:call-template>
      </xsl:if>
      <!-- BT-83 -->
      <xsl:call-template name="text"><xsl:with-param name="name" select="'PaymentID'"/><xsl:with-param name="value" select="f:get($p, 'remittanceInformation')"/></xsl:call-template>
      <!-- BG-18 card -->
      <xsl:if test="$first and f:has(f:get($card, 'primaryAccountNumber'))">
        <cac:CardAccount>
          <cbc:PrimaryAccountNumberID><xsl:value-of select="string(f:get($card, 'primaryAccountNumber'))"/></cbc:PrimaryAccountNumberID>
          <cbc:NetworkID><xsl:value-of select="(normalize-space(f:get($card, 'networkId'))[. ne ''], 'NA')[1]"/></cbc:NetworkID>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'HolderName'"/><xsl:with-param name="value" select="f:get($card, 'holderName')"/></xsl:call-template>
        </cac:CardAccount>
      </xsl:if>
      <!-- BG-17 credit transfer: BT-84, BT-85, BT-86 -->
      <xsl:if test="exists($transfer)">
        <cac:PayeeFinancialAccount>
          <cbc:ID><xsl:value-of select="string(f:get($transfer, 'accountId'))"/></cbc:ID>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'Name'"/><xsl:with-param name="value" select="f:get($transfer, 'accountName')"/></xsl:call-template>
          <xsl:if test="f:has(f:get($transfer, 'serviceProviderId'))">
            <cac:FinancialInstitutionBranch><cbc:ID><xsl:value-of select="string(f:get($transfer, 'serviceProviderId'))"/></cbc:ID></cac:FinancialInstitutionBranch>
          </xsl:if>
        </cac:PayeeFinancialAccount>
      </xsl:if>
      <!-- BG-19 direct debit: BT-89 mandate, BT-91 debited account (BT-90 is a party identifier) -->
      <xsl:if test="$first and f:has((f:get($dd, 'mandateReference'), f:get($dd, 'debitedAccountId')))">
        <cac:PaymentMandate>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'ID'"/><xsl:with-param name="value" select="f:get($dd, 'mandateReference')"/></xsl:call-template>
          <xsl:if test="f:has(f:get($dd, 'debitedAccountId'))">
            <cac:PayerFinancialAccount><cbc:ID><xsl:value-of select="string(f:get($dd, 'debitedAccountId'))"/></cbc:ID></cac:PayerFinancialAccount>
          </xsl:if>
        </cac:PaymentMandate>
      </xsl:if>
    </cac:PaymentMeans>
  </xsl:template>

  <!-- ============================================================ allowances / charges -->

  <!-- BG-20 allowances (BT-92..98), BG-21 charges (BT-99..105) -->
  <xsl:template name="allowances-charges">
    <xsl:for-each select="f:get(f:doc(.), 'allowances')/j:map">
      <xsl:call-template name="allowance-charge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="false()"/><xsl:with-param name="withTax" select="true()"/></xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="f:get(f:doc(.), 'charges')/j:map">
      <xsl:call-template name="allowance-charge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="true()"/><xsl:with-param name="withTax" select="true()"/></xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="allowance-charge">
    <xsl:param name="ac" as="element()"/>
    <xsl:param name="charge" as="xs:boolean"/>
    <xsl:param name="withTax" as="xs:boolean"/>
    <cac:AllowanceCharge>
      <cbc:ChargeIndicator><xsl:value-of select="$charge"/></cbc:ChargeIndicator>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'AllowanceChargeReasonCode'"/><xsl:with-param name="value" select="f:get($ac, 'reasonCode')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'AllowanceChargeReason'"/><xsl:with-param name="value" select="f:get($ac, 'reason')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'MultiplierFactorNumeric'"/><xsl:with-param name="value" select="f:num(f:get($ac, 'percentage'))"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'Amount'"/><xsl:with-param name="value" select="f:get($ac, 'amount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'BaseAmount'"/><xsl:with-param name="value" select="f:get($ac, 'baseAmount')"/></xsl:call-template>
      <xsl:if test="$withTax">
        <xsl:call-template name="tax-category">
          <xsl:with-param name="element" select="'TaxCategory'"/>
          <xsl:with-param name="code" select="f:get($ac, 'vatCategoryCode')"/>
          <xsl:with-param name="rate" select="f:get($ac, 'vatRate')"/>
        </xsl:call-template>
      </xsl:if>
    </cac:AllowanceCharge>
  </xsl:template>

  <!-- VAT category: BT-95/102/118/151 code, BT-96/103/119/152 rate, BT-121/120 exemption.
       The rate is written whenever the ERP sends it, for every category ('O' included: XRechnung wants BT-119
       in the breakdown, BR-DE-14; a line rate on 'O' is the ERP's error, BR-O-05). When absent, rate 0 is
       written for the categories whose rate is 0 by rule (Z, E, AE, K, G). -->
  <xsl:template name="tax-category">
    <xsl:param name="element" as="xs:string"/>
    <xsl:param name="code" as="element()?"/>
    <xsl:param name="rate" as="element()?"/>
    <xsl:param name="exemptionCode" as="element()?" select="()"/>
    <xsl:param name="exemptionReason" as="element()?" select="()"/>
    <xsl:variable name="c" select="normalize-space($code)"/>
    <xsl:if test="$c ne ''">
      <xsl:element name="cac:{$element}">
        <cbc:ID><xsl:value-of select="$c"/></cbc:ID>
        <xsl:choose>
          <xsl:when test="f:has($rate)"><cbc:Percent><xsl:value-of select="f:num($rate)"/></cbc:Percent></xsl:when>
          <xsl:when test="$c = ('Z', 'E', 'AE', 'K', 'G')"><cbc:Percent>0</cbc:Percent></xsl:when>
        </xsl:choose>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'TaxExemptionReasonCode'"/><xsl:with-param name="value" select="$exemptionCode"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'TaxExemptionReason'"/><xsl:with-param name="value" select="$exemptionReason"/></xsl:call-template>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ totals -->

  <!-- BT-110 with BG-23 subtotals; BT-111 in a second TaxTotal in the tax currency (BT-6).
       UBL requires TaxTotal/TaxAmount: without BT-110 it carries the sum of the breakdown's BT-117. -->
  <xsl:template name="tax-total">
    <xsl:variable name="t" select="f:get(f:doc(.), 'totals')"/>
    <cac:TaxTotal>
      <xsl:choose>
        <xsl:when test="f:has(f:get($t, 'taxAmount'))">
          <xsl:call-template name="amount"><xsl:with-param name="name" select="'TaxAmount'"/><xsl:with-param name="value" select="f:get($t, 'taxAmount')"/></xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <cbc:TaxAmount currencyID="{f:currency(.)}"><xsl:value-of select="f:sum(f:get(f:doc(.), 'vatBreakdown')/j:map/f:get(., 'taxAmount'))"/></cbc:TaxAmount>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="f:get(f:doc(.), 'vatBreakdown')/j:map">
        <cac:TaxSubtotal>
          <xsl:call-template name="amount"><xsl:with-param name="name" select="'TaxableAmount'"/><xsl:with-param name="value" select="f:get(., 'taxableAmount')"/></xsl:call-template>
          <xsl:call-template name="amount"><xsl:with-param name="name" select="'TaxAmount'"/><xsl:with-param name="value" select="f:get(., 'taxAmount')"/></xsl:call-template>
          <xsl:call-template name="tax-category">
            <xsl:with-param name="element" select="'TaxCategory'"/>
            <xsl:with-param name="code" select="f:get(., 'categoryCode')"/>
            <xsl:with-param name="rate" select="f:get(., 'rate')"/>
            <xsl:with-param name="exemptionCode" select="f:get(., 'exemptionReasonCode')"/>
            <xsl:with-param name="exemptionReason" select="f:get(., 'exemptionReason')"/>
          </xsl:call-template>
        </cac:TaxSubtotal>
      </xsl:for-each>
    </cac:TaxTotal>
    <xsl:variable name="taxCurrency" select="f:taxCurrency(.)"/>
    <xsl:if test="$taxCurrency ne '' and f:has(f:get($t, 'taxAmountInTaxCurrency'))">
      <cac:TaxTotal>
        <xsl:call-template name="amount">
          <xsl:with-param name="name" select="'TaxAmount'"/>
          <xsl:with-param name="value" select="f:get($t, 'taxAmountInTaxCurrency')"/>
          <xsl:with-param name="currency" select="$taxCurrency"/>
        </xsl:call-template>
      </cac:TaxTotal>
    </xsl:if>
  </xsl:template>

  <!-- BG-22: BT-106, BT-109, BT-112, BT-107, BT-108, BT-113, BT-114, BT-115 -->
  <xsl:template name="monetary-total">
    <xsl:variable name="t" select="f:get(f:doc(.), 'totals')"/>
    <cac:LegalMonetaryTotal>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'LineExtensionAmount'"/><xsl:with-param name="value" select="f:get($t, 'lineNetAmount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'TaxExclusiveAmount'"/><xsl:with-param name="value" select="f:get($t, 'taxExclusiveAmount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'TaxInclusiveAmount'"/><xsl:with-param name="value" select="f:get($t, 'taxInclusiveAmount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'AllowanceTotalAmount'"/><xsl:with-param name="value" select="f:get($t, 'allowanceTotalAmount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'ChargeTotalAmount'"/><xsl:with-param name="value" select="f:get($t, 'chargeTotalAmount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'PrepaidAmount'"/><xsl:with-param name="value" select="f:get($t, 'prepaidAmount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'PayableRoundingAmount'"/><xsl:with-param name="value" select="f:get($t, 'roundingAmount')"/></xsl:call-template>
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'PayableAmount'"/><xsl:with-param name="value" select="f:get($t, 'payableAmount')"/></xsl:call-template>
    </cac:LegalMonetaryTotal>
  </xsl:template>

  <!-- ============================================================ lines -->

  <!-- BG-25 invoice line -->
  <xsl:template match="j:map" mode="line">
    <xsl:variable name="l" select="."/>
    <xsl:variable name="price" select="f:get($l, 'price')"/>
    <xsl:element name="cac:{if (f:isCN(.)) then 'CreditNoteLine' else 'InvoiceLine'}">
      <xsl:call-template name="text"><xsl:with-param name="name" select="'ID'"/><xsl:with-param name="value" select="f:get($l, 'id')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'Note'"/><xsl:with-param name="value" select="f:get($l, 'note')"/></xsl:call-template>
      <!-- BT-129 / BT-130 -->
      <xsl:element name="cbc:{if (f:isCN(.)) then 'CreditedQuantity' else 'InvoicedQuantity'}">
        <xsl:if test="f:has(f:get($l, 'unitCode'))"><xsl:attribute name="unitCode" select="string(f:get($l, 'unitCode'))"/></xsl:if>
        <xsl:value-of select="f:num(f:get($l, 'quantity'))"/>
      </xsl:element>
      <!-- BT-131 -->
      <xsl:call-template name="amount"><xsl:with-param name="name" select="'LineExtensionAmount'"/><xsl:with-param name="value" select="f:get($l, 'netAmount')"/></xsl:call-template>
      <!-- BT-133 -->
      <xsl:call-template name="text"><xsl:with-param name="name" select="'AccountingCost'"/><xsl:with-param name="value" select="f:get($l, 'buyerAccountingReference')"/></xsl:call-template>
      <!-- BG-26 -->
      <xsl:variable name="period" select="f:get($l, 'period')"/>
      <xsl:if test="f:has($period/*)">
        <cac:InvoicePeriod>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'StartDate'"/><xsl:with-param name="value" select="f:get($period, 'startDate')"/></xsl:call-template>
          <xsl:call-template name="text"><xsl:with-param name="name" select="'EndDate'"/><xsl:with-param name="value" select="f:get($period, 'endDate')"/></xsl:call-template>
        </cac:InvoicePeriod>
      </xsl:if>
      <!-- BT-132 -->
      <xsl:if test="f:has(f:get($l, 'orderLineReference'))">
        <cac:OrderLineReference><cbc:LineID><xsl:value-of select="string(f:get($l, 'orderLineReference'))"/></cbc:LineID></cac:OrderLineReference>
      </xsl:if>
      <!-- BT-128 object identifier (type 130) -->
      <xsl:if test="f:has(f:id(f:get($l, 'objectIdentifier')))">
        <cac:DocumentReference>
          <xsl:call-template name="ident"><xsl:with-param name="name" select="'ID'"/><xsl:with-param name="value" select="f:get($l, 'objectIdentifier')"/></xsl:call-template>
          <cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>
        </cac:DocumentReference>
      </xsl:if>
      <!-- BG-27 / BG-28 line allowances and charges (no TaxCategory at line level) -->
      <xsl:for-each select="f:get($l, 'allowances')/j:map">
        <xsl:call-template name="allowance-charge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="false()"/><xsl:with-param name="withTax" select="false()"/></xsl:call-template>
      </xsl:for-each>
      <xsl:for-each select="f:get($l, 'charges')/j:map">
        <xsl:call-template name="allowance-charge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="true()"/><xsl:with-param name="withTax" select="false()"/></xsl:call-template>
      </xsl:for-each>
      <xsl:call-template name="item"><xsl:with-param name="l" select="$l"/></xsl:call-template>
      <!-- BG-29 price: BT-146, BT-149/150, BT-147/148 -->
      <cac:Price>
        <xsl:call-template name="amount"><xsl:with-param name="name" select="'PriceAmount'"/><xsl:with-param name="value" select="f:get($price, 'netAmount')"/></xsl:call-template>
        <xsl:if test="f:has(f:get($price, 'baseQuantity'))">
          <cbc:BaseQuantity>
            <xsl:variable name="unit" select="(normalize-space(f:get($price, 'baseQuantityUnitCode'))[. ne ''], normalize-space(f:get($l, 'unitCode'))[. ne ''])[1]"/>
            <xsl:if test="exists($unit)"><xsl:attribute name="unitCode" select="$unit"/></xsl:if>
            <xsl:value-of select="f:num(f:get($price, 'baseQuantity'))"/>
          </cbc:BaseQuantity>
        </xsl:if>
        <xsl:if test="f:has((f:get($price, 'discount'), f:get($price, 'grossAmount')))">
          <cac:AllowanceCharge>
            <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
            <xsl:call-template name="amount"><xsl:with-param name="name" select="'Amount'"/><xsl:with-param name="value" select="(f:get($price, 'discount')[f:has(.)], '0.00')[1]"/></xsl:call-template>
            <xsl:call-template name="amount"><xsl:with-param name="name" select="'BaseAmount'"/><xsl:with-param name="value" select="f:get($price, 'grossAmount')"/></xsl:call-template>
          </cac:AllowanceCharge>
        </xsl:if>
      </cac:Price>
    </xsl:element>
  </xsl:template>

  <!-- BG-31 item: BT-154, BT-153, BT-156, BT-155, BT-157, BT-159, BT-158, BG-30, BG-32 -->
  <xsl:template name="item">
    <xsl:param name="l" as="element()"/>
    <xsl:variable name="i" select="f:get($l, 'item')"/>
    <cac:Item>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'Description'"/><xsl:with-param name="value" select="f:get($i, 'description')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'Name'"/><xsl:with-param name="value" select="f:get($i, 'name')"/></xsl:call-template>
      <xsl:if test="f:has(f:id(f:get($i, 'buyerId')))">
        <cac:BuyersItemIdentification><cbc:ID><xsl:value-of select="f:id(f:get($i, 'buyerId'))"/></cbc:ID></cac:BuyersItemIdentification>
      </xsl:if>
      <xsl:if test="f:has(f:id(f:get($i, 'sellerId')))">
        <cac:SellersItemIdentification><cbc:ID><xsl:value-of select="f:id(f:get($i, 'sellerId'))"/></cbc:ID></cac:SellersItemIdentification>
      </xsl:if>
      <xsl:if test="f:has(f:id(f:get($i, 'standardId')))">
        <cac:StandardItemIdentification>
          <xsl:call-template name="ident"><xsl:with-param name="name" select="'ID'"/><xsl:with-param name="value" select="f:get($i, 'standardId')"/></xsl:call-template>
        </cac:StandardItemIdentification>
      </xsl:if>
      <xsl:if test="f:has(f:get($i, 'originCountryCode'))">
        <cac:OriginCountry><cbc:IdentificationCode><xsl:value-of select="string(f:get($i, 'originCountryCode'))"/></cbc:IdentificationCode></cac:OriginCountry>
      </xsl:if>
      <xsl:for-each select="f:get($i, 'classifications')/*[f:has(f:id(.))]">
        <cac:CommodityClassification>
          <cbc:ItemClassificationCode>
            <xsl:if test="f:has(f:get(., 'listId'))"><xsl:attribute name="listID" select="string(f:get(., 'listId'))"/></xsl:if>
            <xsl:if test="f:has(f:get(., 'listVersionId'))"><xsl:attribute name="listVersionID" select="string(f:get(., 'listVersionId'))"/></xsl:if>
            <xsl:value-of select="f:id(.)"/>
          </cbc:ItemClassificationCode>
        </cac:CommodityClassification>
      </xsl:for-each>
      <xsl:call-template name="tax-category">
        <xsl:with-param name="element" select="'ClassifiedTaxCategory'"/>
        <xsl:with-param name="code" select="f:get(f:get($l, 'vat'), 'categoryCode')"/>
        <xsl:with-param name="rate" select="f:get(f:get($l, 'vat'), 'rate')"/>
      </xsl:call-template>
      <xsl:for-each select="f:get($i, 'attributes')/j:map[f:has(f:get(., 'name')) and f:has(f:get(., 'value'))]">
        <cac:AdditionalItemProperty>
          <cbc:Name><xsl:value-of select="string(f:get(., 'name'))"/></cbc:Name>
          <cbc:Value><xsl:value-of select="string(f:get(., 'value'))"/></cbc:Value>
        </cac:AdditionalItemProperty>
      </xsl:for-each>
    </cac:Item>
  </xsl:template>

</xsl:stylesheet>
