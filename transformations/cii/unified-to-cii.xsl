<?xml version="1.0" encoding="UTF-8"?>
<!--
  unified-to-cii.xsl — unified JSON invoice model (docs/decisions/0001-unified-model.md)
  → UN/CEFACT Cross Industry Invoice D16B (EN 16931-3-3 CII syntax binding).

  Input : the XPath 3.1 XML representation of JSON (fn:json-to-xml) of the `document` object.
  Output: rsm:CrossIndustryInvoice; element order follows the D16B XSD sequences.
  Amounts, quantities and rates are copied in their lexical form.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:j="http://www.w3.org/2005/xpath-functions"
    xmlns:f="urn:einvoicinghub:cii:functions"
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
    xpath-default-namespace="http://www.w3.org/2005/xpath-functions"
    exclude-result-prefixes="xs j f">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <!-- BT-24 specification identifier -->
  <xsl:param name="guidelineId" as="xs:string" select="'urn:cen.eu:en16931:2017'"/>
  <!-- BT-23 business process; the JSON field businessProcessType overrides it. XRechnung 3.0 requires BT-23
       (PEPPOL-EN16931-R001), so for an XRechnung guideline the default is the Peppol billing process. -->
  <xsl:param name="businessProcessId" as="xs:string"
             select="if (contains($guidelineId, 'xrechnung')) then 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0' else ''"/>
  <!-- 'Invoice' | 'CreditNote': CII distinguishes them only by BT-3 TypeCode (typeCode); used as fallback for a missing typeCode -->
  <xsl:param name="documentType" as="xs:string" select="'Invoice'"/>
  <!-- 'true' in Factur-X / ZUGFeRD features: the supporting document whose attachment is marked visualRepresentation
       is the hybrid PDF's visible part itself (docs/facturx.md), so it is not repeated inside the CII as BG-24 -->
  <xsl:param name="omitVisualRepresentation" as="xs:string" select="'false'"/>

  <!-- ============================================================ helper functions -->

  <!-- The helpers f:get, f:has and f:num mean the same in unified-to-ubl.xsl (keep them identical). -->

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

  <!-- identifier value: plain string or {id, schemeId} -->
  <xsl:function name="f:id" as="xs:string">
    <xsl:param name="v" as="element()?"/>
    <xsl:sequence select="string(if ($v/self::map) then $v/*[@key = 'id'] else $v)"/>
  </xsl:function>

  <!-- identifier scheme of {id, schemeId}, '' otherwise -->
  <xsl:function name="f:scheme" as="xs:string">
    <xsl:param name="v" as="element()?"/>
    <xsl:sequence select="string($v/self::map/*[@key = 'schemeId'])"/>
  </xsl:function>

  <!-- numbers keep their lexical form; an exponent form (e.g. from a double-based serializer: 1.897112416E7)
       is rewritten as a plain decimal by moving the decimal point in the digit string (no floating point) -->
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

  <!-- ISO date YYYY-MM-DD → format 102 YYYYMMDD -->
  <xsl:function name="f:d102" as="xs:string">
    <xsl:param name="v" as="element()?"/>
    <xsl:sequence select="translate(substring(normalize-space(string($v)), 1, 10), '-', '')"/>
  </xsl:function>

  <!-- BT-8: UNTDID 2005 (UBL) → UNTDID 2475 (CII); 2475 codes pass through -->
  <xsl:function name="f:dueDateTypeCode" as="xs:string">
    <xsl:param name="code" as="xs:string"/>
    <xsl:sequence select="if ($code = '3') then '5' else if ($code = '35') then '29'
                          else if ($code = '432') then '72' else $code"/>
  </xsl:function>

  <!-- simple text element, emitted only when the value is not blank -->
  <xsl:template name="f:text">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="element()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="{$name}"><xsl:value-of select="string($value)"/></xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- free-text element: copied as written (line breaks matter, e.g. XRechnung #SKONTO# lines in BT-20) -->
  <xsl:template name="f:freeText">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="element()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="{$name}"><xsl:value-of select="string($value)"/></xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- amount / quantity / percent element (lexical number) -->
  <xsl:template name="f:number">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="element()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="{$name}"><xsl:value-of select="f:num($value)"/></xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- date element with udt:DateTimeString format 102 -->
  <xsl:template name="f:dateTime">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="element()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="{$name}">
        <udt:DateTimeString format="102"><xsl:value-of select="f:d102($value)"/></udt:DateTimeString>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ root -->

  <xsl:template match="/">
    <xsl:apply-templates select="map"/>
  </xsl:template>

  <xsl:template match="/map">
    <xsl:variable name="d" select="."/>
    <rsm:CrossIndustryInvoice>
      <xsl:call-template name="f:context"><xsl:with-param name="d" select="$d"/></xsl:call-template>
      <xsl:call-template name="f:document"><xsl:with-param name="d" select="$d"/></xsl:call-template>
      <rsm:SupplyChainTradeTransaction>
        <!-- BG-25 invoice lines -->
        <xsl:for-each select="f:get($d, 'lines')/map">
          <xsl:call-template name="f:line"><xsl:with-param name="l" select="."/></xsl:call-template>
        </xsl:for-each>
        <xsl:call-template name="f:agreement"><xsl:with-param name="d" select="$d"/></xsl:call-template>
        <xsl:call-template name="f:delivery"><xsl:with-param name="d" select="$d"/></xsl:call-template>
        <xsl:call-template name="f:settlement"><xsl:with-param name="d" select="$d"/></xsl:call-template>
      </rsm:SupplyChainTradeTransaction>
    </rsm:CrossIndustryInvoice>
  </xsl:template>

  <!-- ============================================================ BG-2 process control -->

  <xsl:template name="f:context">
    <xsl:param name="d" as="element()"/>
    <xsl:variable name="bp" select="(normalize-space(f:get($d, 'businessProcessType')), normalize-space($businessProcessId))[. != ''][1]"/>
    <rsm:ExchangedDocumentContext>
      <!-- BT-23 -->
      <xsl:if test="exists($bp)">
        <ram:BusinessProcessSpecifiedDocumentContextParameter>
          <ram:ID><xsl:value-of select="$bp"/></ram:ID>
        </ram:BusinessProcessSpecifiedDocumentContextParameter>
      </xsl:if>
      <!-- BT-24 -->
      <ram:GuidelineSpecifiedDocumentContextParameter>
        <ram:ID><xsl:value-of select="$guidelineId"/></ram:ID>
      </ram:GuidelineSpecifiedDocumentContextParameter>
    </rsm:ExchangedDocumentContext>
  </xsl:template>

  <!-- ============================================================ document header: BT-1, BT-3, BT-2, BG-1 -->

  <xsl:template name="f:document">
    <xsl:param name="d" as="element()"/>
    <rsm:ExchangedDocument>
      <ram:ID><xsl:value-of select="string(f:get($d, 'number'))"/></ram:ID>
      <!-- BT-3 from typeCode; only when it is missing does documentType decide (380 invoice / 381 credit note) -->
      <ram:TypeCode><xsl:value-of select="(normalize-space(f:get($d, 'typeCode'))[. != ''],
                                           if ($documentType = 'CreditNote') then '381' else '380')[1]"/></ram:TypeCode>
      <ram:IssueDateTime>
        <udt:DateTimeString format="102"><xsl:value-of select="f:d102(f:get($d, 'issueDate'))"/></udt:DateTimeString>
      </ram:IssueDateTime>
      <!-- BG-1 notes: BT-22 text, BT-21 subject code -->
      <xsl:for-each select="f:get($d, 'notes')/map[f:has(f:get(., 'text'))]">
        <ram:IncludedNote>
          <ram:Content><xsl:value-of select="f:get(., 'text')"/></ram:Content>
          <xsl:call-template name="f:text">
            <xsl:with-param name="name" select="'ram:SubjectCode'"/>
            <xsl:with-param name="value" select="f:get(., 'subjectCode')"/>
          </xsl:call-template>
        </ram:IncludedNote>
      </xsl:for-each>
    </rsm:ExchangedDocument>
  </xsl:template>

  <!-- ============================================================ BG-25 invoice line -->

  <xsl:template name="f:line">
    <xsl:param name="l" as="element()"/>
    <xsl:variable name="price" select="f:get($l, 'price')"/>
    <xsl:variable name="item" select="f:get($l, 'item')"/>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument>
        <ram:LineID><xsl:value-of select="string(f:get($l, 'id'))"/></ram:LineID>  <!-- BT-126 -->
        <xsl:if test="f:has(f:get($l, 'note'))">                                          <!-- BT-127 -->
          <ram:IncludedNote><ram:Content><xsl:value-of select="f:get($l, 'note')"/></ram:Content></ram:IncludedNote>
        </xsl:if>
      </ram:AssociatedDocumentLineDocument>

      <!-- BG-31 item information -->
      <ram:SpecifiedTradeProduct>
        <xsl:if test="f:has(f:get($item, 'standardId'))">                                  <!-- BT-157 -->
          <ram:GlobalID>
            <xsl:if test="f:scheme(f:get($item, 'standardId')) != ''">
              <xsl:attribute name="schemeID" select="f:scheme(f:get($item, 'standardId'))"/>
            </xsl:if>
            <xsl:value-of select="f:id(f:get($item, 'standardId'))"/>
          </ram:GlobalID>
        </xsl:if>
        <xsl:if test="f:has(f:get($item, 'sellerId'))">                                    <!-- BT-155 -->
          <ram:SellerAssignedID><xsl:value-of select="f:id(f:get($item, 'sellerId'))"/></ram:SellerAssignedID>
        </xsl:if>
        <xsl:if test="f:has(f:get($item, 'buyerId'))">                                     <!-- BT-156 -->
          <ram:BuyerAssignedID><xsl:value-of select="f:id(f:get($item, 'buyerId'))"/></ram:BuyerAssignedID>
        </xsl:if>
        <ram:Name><xsl:value-of select="string(f:get($item, 'name'))"/></ram:Name>  <!-- BT-153 -->
        <xsl:call-template name="f:freeText">                                                  <!-- BT-154 -->
          <xsl:with-param name="name" select="'ram:Description'"/>
          <xsl:with-param name="value" select="f:get($item, 'description')"/>
        </xsl:call-template>
        <!-- BG-32 item attributes: BT-160 name, BT-161 value -->
        <xsl:for-each select="f:get($item, 'attributes')/map[f:has(f:get(., 'name')) and f:has(f:get(., 'value'))]">
          <ram:ApplicableProductCharacteristic>
            <ram:Description><xsl:value-of select="string(f:get(., 'name'))"/></ram:Description>
            <ram:Value><xsl:value-of select="string(f:get(., 'value'))"/></ram:Value>
          </ram:ApplicableProductCharacteristic>
        </xsl:for-each>
        <!-- BT-158 item classification with BT-158-1 list id and BT-158-2 list version -->
        <xsl:for-each select="f:get($item, 'classifications')/map[f:has(f:get(., 'id'))]">
          <ram:DesignatedProductClassification>
            <ram:ClassCode>
              <xsl:if test="f:has(f:get(., 'listId'))">
                <xsl:attribute name="listID" select="string(f:get(., 'listId'))"/>
              </xsl:if>
              <xsl:if test="f:has(f:get(., 'listVersionId'))">
                <xsl:attribute name="listVersionID" select="string(f:get(., 'listVersionId'))"/>
              </xsl:if>
              <xsl:value-of select="string(f:get(., 'id'))"/>
            </ram:ClassCode>
          </ram:DesignatedProductClassification>
        </xsl:for-each>
        <xsl:if test="f:has(f:get($item, 'originCountryCode'))">                           <!-- BT-159 -->
          <ram:OriginTradeCountry><ram:ID><xsl:value-of select="string(f:get($item, 'originCountryCode'))"/></ram:ID></ram:OriginTradeCountry>
        </xsl:if>
      </ram:SpecifiedTradeProduct>

      <!-- line agreement: BT-132 order line reference, BG-29 price details -->
      <ram:SpecifiedLineTradeAgreement>
        <xsl:if test="f:has(f:get($l, 'orderLineReference'))">
          <ram:BuyerOrderReferencedDocument>
            <ram:LineID><xsl:value-of select="string(f:get($l, 'orderLineReference'))"/></ram:LineID>
          </ram:BuyerOrderReferencedDocument>
        </xsl:if>
        <!-- BT-148; CII carries a price discount (BT-147) only on a gross price: without BT-148 the gross price is
             written as BT-146 + BT-147 (exact decimals), so that the discount is not lost -->
        <xsl:if test="f:has(f:get($price, 'grossAmount')) or f:has(f:get($price, 'discount'))">
          <ram:GrossPriceProductTradePrice>
            <ram:ChargeAmount><xsl:value-of select="if (f:has(f:get($price, 'grossAmount'))) then f:num(f:get($price, 'grossAmount'))
                else f:sum((f:get($price, 'netAmount'), f:get($price, 'discount')))"/></ram:ChargeAmount>
            <xsl:call-template name="f:baseQuantity"><xsl:with-param name="l" select="$l"/></xsl:call-template>
            <xsl:if test="f:has(f:get($price, 'discount'))">                                <!-- BT-147 -->
              <ram:AppliedTradeAllowanceCharge>
                <ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>
                <ram:ActualAmount><xsl:value-of select="f:num(f:get($price, 'discount'))"/></ram:ActualAmount>
              </ram:AppliedTradeAllowanceCharge>
            </xsl:if>
          </ram:GrossPriceProductTradePrice>
        </xsl:if>
        <ram:NetPriceProductTradePrice>
          <ram:ChargeAmount><xsl:value-of select="f:num(f:get($price, 'netAmount'))"/></ram:ChargeAmount>     <!-- BT-146 -->
          <xsl:call-template name="f:baseQuantity"><xsl:with-param name="l" select="$l"/></xsl:call-template>
        </ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>

      <!-- BT-129 invoiced quantity, BT-130 unit -->
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="{normalize-space(f:get($l, 'unitCode'))}"><xsl:value-of select="f:num(f:get($l, 'quantity'))"/></ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>

      <ram:SpecifiedLineTradeSettlement>
        <!-- BG-30 line VAT information: BT-151, BT-152 -->
        <ram:ApplicableTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode>
          <ram:CategoryCode><xsl:value-of select="string(f:get(f:get($l, 'vat'), 'categoryCode'))"/></ram:CategoryCode>
          <xsl:call-template name="f:number">
            <xsl:with-param name="name" select="'ram:RateApplicablePercent'"/>
            <xsl:with-param name="value" select="f:get(f:get($l, 'vat'), 'rate')"/>
          </xsl:call-template>
        </ram:ApplicableTradeTax>
        <!-- BG-26 line period: BT-134, BT-135 -->
        <xsl:call-template name="f:period"><xsl:with-param name="p" select="f:get($l, 'period')"/></xsl:call-template>
        <!-- BG-27 line allowances, BG-28 line charges -->
        <xsl:for-each select="f:get($l, 'allowances')/map">
          <xsl:call-template name="f:allowanceCharge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="false()"/></xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="f:get($l, 'charges')/map">
          <xsl:call-template name="f:allowanceCharge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="true()"/></xsl:call-template>
        </xsl:for-each>
        <!-- BT-131 line net amount -->
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount><xsl:value-of select="f:num(f:get($l, 'netAmount'))"/></ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
        <!-- BT-128 invoice line object identifier (TypeCode 130), BT-128-1 scheme -->
        <xsl:if test="f:has(f:get($l, 'objectIdentifier'))">
          <xsl:call-template name="f:objectReference"><xsl:with-param name="v" select="f:get($l, 'objectIdentifier')"/></xsl:call-template>
        </xsl:if>
        <!-- BT-133 line buyer accounting reference -->
        <xsl:if test="f:has(f:get($l, 'buyerAccountingReference'))">
          <ram:ReceivableSpecifiedTradeAccountingAccount>
            <ram:ID><xsl:value-of select="string(f:get($l, 'buyerAccountingReference'))"/></ram:ID>
          </ram:ReceivableSpecifiedTradeAccountingAccount>
        </xsl:if>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
  </xsl:template>

  <!-- BT-149 / BT-150 item price base quantity (unit defaults to the line's BT-130) -->
  <xsl:template name="f:baseQuantity">
    <xsl:param name="l" as="element()"/>
    <xsl:variable name="price" select="f:get($l, 'price')"/>
    <xsl:if test="f:has(f:get($price, 'baseQuantity'))">
      <xsl:variable name="unit" select="(normalize-space(f:get($price, 'baseQuantityUnitCode')), normalize-space(f:get($l, 'unitCode')))[. != ''][1]"/>
      <ram:BasisQuantity>
        <xsl:if test="exists($unit)"><xsl:attribute name="unitCode" select="$unit"/></xsl:if>
        <xsl:value-of select="f:num(f:get($price, 'baseQuantity'))"/>
      </ram:BasisQuantity>
    </xsl:if>
  </xsl:template>

  <!-- invoiced object identifier (BT-18 header / BT-128 line): additional referenced document TypeCode 130 -->
  <xsl:template name="f:objectReference">
    <xsl:param name="v" as="element()"/>
    <ram:AdditionalReferencedDocument>
      <ram:IssuerAssignedID><xsl:value-of select="f:id($v)"/></ram:IssuerAssignedID>
      <ram:TypeCode>130</ram:TypeCode>
      <xsl:if test="f:scheme($v) != ''">
        <ram:ReferenceTypeCode><xsl:value-of select="f:scheme($v)"/></ram:ReferenceTypeCode>
      </xsl:if>
    </ram:AdditionalReferencedDocument>
  </xsl:template>

  <!-- period (BG-14 / BG-26): BillingSpecifiedPeriod with start/end dates -->
  <xsl:template name="f:period">
    <xsl:param name="p" as="element()?"/>
    <xsl:if test="f:has(f:get($p, 'startDate')) or f:has(f:get($p, 'endDate'))">
      <ram:BillingSpecifiedPeriod>
        <xsl:call-template name="f:dateTime">
          <xsl:with-param name="name" select="'ram:StartDateTime'"/>
          <xsl:with-param name="value" select="f:get($p, 'startDate')"/>
        </xsl:call-template>
        <xsl:call-template name="f:dateTime">
          <xsl:with-param name="name" select="'ram:EndDateTime'"/>
          <xsl:with-param name="value" select="f:get($p, 'endDate')"/>
        </xsl:call-template>
      </ram:BillingSpecifiedPeriod>
    </xsl:if>
  </xsl:template>

  <!-- allowance/charge (BG-20/21 document, BG-27/28 line); VAT category only at document level -->
  <xsl:template name="f:allowanceCharge">
    <xsl:param name="ac" as="element()"/>
    <xsl:param name="charge" as="xs:boolean"/>
    <xsl:param name="withTax" as="xs:boolean" select="false()"/>
    <ram:SpecifiedTradeAllowanceCharge>
      <ram:ChargeIndicator><udt:Indicator><xsl:value-of select="$charge"/></udt:Indicator></ram:ChargeIndicator>
      <xsl:call-template name="f:number">
        <xsl:with-param name="name" select="'ram:CalculationPercent'"/>
        <xsl:with-param name="value" select="f:get($ac, 'percentage')"/>
      </xsl:call-template>
      <xsl:call-template name="f:number">
        <xsl:with-param name="name" select="'ram:BasisAmount'"/>
        <xsl:with-param name="value" select="f:get($ac, 'baseAmount')"/>
      </xsl:call-template>
      <ram:ActualAmount><xsl:value-of select="f:num(f:get($ac, 'amount'))"/></ram:ActualAmount>
      <xsl:call-template name="f:text">
        <xsl:with-param name="name" select="'ram:ReasonCode'"/>
        <xsl:with-param name="value" select="f:get($ac, 'reasonCode')"/>
      </xsl:call-template>
      <xsl:call-template name="f:freeText">
        <xsl:with-param name="name" select="'ram:Reason'"/>
        <xsl:with-param name="value" select="f:get($ac, 'reason')"/>
      </xsl:call-template>
      <xsl:if test="$withTax">
        <ram:CategoryTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode>
          <ram:CategoryCode><xsl:value-of select="string(f:get($ac, 'vatCategoryCode'))"/></ram:CategoryCode>
          <xsl:call-template name="f:number">
            <xsl:with-param name="name" select="'ram:RateApplicablePercent'"/>
            <xsl:with-param name="value" select="f:get($ac, 'vatRate')"/>
          </xsl:call-template>
        </ram:CategoryTradeTax>
      </xsl:if>
    </ram:SpecifiedTradeAllowanceCharge>
  </xsl:template>

  <!-- ============================================================ parties -->

  <!-- party identifiers: without scheme → ram:ID, with scheme → ram:GlobalID/@schemeID (XSD: all IDs first) -->
  <xsl:template name="f:partyIds">
    <xsl:param name="ids" as="element()*"/>
    <xsl:for-each select="$ids[f:id(.) != ''][f:scheme(.) = '']">
      <ram:ID><xsl:value-of select="f:id(.)"/></ram:ID>
    </xsl:for-each>
    <xsl:for-each select="$ids[f:id(.) != ''][f:scheme(.) != '']">
      <ram:GlobalID schemeID="{f:scheme(.)}"><xsl:value-of select="f:id(.)"/></ram:GlobalID>
    </xsl:for-each>
  </xsl:template>

  <!-- legal organization: BT-30/47/61 registration id (+scheme), BT-28/45 trading name -->
  <xsl:template name="f:legalOrganization">
    <xsl:param name="reg" as="element()?"/>
    <xsl:param name="tradingName" as="element()?"/>
    <xsl:if test="f:has($reg) or f:has($tradingName)">
      <ram:SpecifiedLegalOrganization>
        <xsl:if test="f:has($reg)">
          <ram:ID>
            <xsl:if test="f:scheme($reg) != ''"><xsl:attribute name="schemeID" select="f:scheme($reg)"/></xsl:if>
            <xsl:value-of select="f:id($reg)"/>
          </ram:ID>
        </xsl:if>
        <xsl:call-template name="f:text">
          <xsl:with-param name="name" select="'ram:TradingBusinessName'"/>
          <xsl:with-param name="value" select="$tradingName"/>
        </xsl:call-template>
      </ram:SpecifiedLegalOrganization>
    </xsl:if>
  </xsl:template>

  <!-- BG-6 / BG-9 contact -->
  <xsl:template name="f:contact">
    <xsl:param name="c" as="element()?"/>
    <xsl:if test="f:has($c)">
      <ram:DefinedTradeContact>
        <xsl:call-template name="f:text">
          <xsl:with-param name="name" select="'ram:PersonName'"/>
          <xsl:with-param name="value" select="f:get($c, 'name')"/>
        </xsl:call-template>
        <xsl:if test="f:has(f:get($c, 'phone'))">
          <ram:TelephoneUniversalCommunication><ram:CompleteNumber><xsl:value-of select="string(f:get($c, 'phone'))"/></ram:CompleteNumber></ram:TelephoneUniversalCommunication>
        </xsl:if>
        <xsl:if test="f:has(f:get($c, 'email'))">
          <ram:EmailURIUniversalCommunication><ram:URIID><xsl:value-of select="string(f:get($c, 'email'))"/></ram:URIID></ram:EmailURIUniversalCommunication>
        </xsl:if>
      </ram:DefinedTradeContact>
    </xsl:if>
  </xsl:template>

  <!-- BG-5 / BG-8 / BG-12 / BG-15 postal address -->
  <xsl:template name="f:address">
    <xsl:param name="a" as="element()?"/>
    <xsl:if test="f:has($a)">
      <ram:PostalTradeAddress>
        <xsl:call-template name="f:text"><xsl:with-param name="name" select="'ram:PostcodeCode'"/><xsl:with-param name="value" select="f:get($a, 'postalCode')"/></xsl:call-template>
        <xsl:call-template name="f:text"><xsl:with-param name="name" select="'ram:LineOne'"/><xsl:with-param name="value" select="f:get($a, 'line1')"/></xsl:call-template>
        <xsl:call-template name="f:text"><xsl:with-param name="name" select="'ram:LineTwo'"/><xsl:with-param name="value" select="f:get($a, 'line2')"/></xsl:call-template>
        <xsl:call-template name="f:text"><xsl:with-param name="name" select="'ram:LineThree'"/><xsl:with-param name="value" select="f:get($a, 'line3')"/></xsl:call-template>
        <xsl:call-template name="f:text"><xsl:with-param name="name" select="'ram:CityName'"/><xsl:with-param name="value" select="f:get($a, 'city')"/></xsl:call-template>
        <xsl:call-template name="f:text"><xsl:with-param name="name" select="'ram:CountryID'"/><xsl:with-param name="value" select="f:get($a, 'countryCode')"/></xsl:call-template>
        <xsl:call-template name="f:text"><xsl:with-param name="name" select="'ram:CountrySubDivisionName'"/><xsl:with-param name="value" select="f:get($a, 'countrySubdivision')"/></xsl:call-template>
      </ram:PostalTradeAddress>
    </xsl:if>
  </xsl:template>

  <!-- BT-34 / BT-49 electronic address with scheme -->
  <xsl:template name="f:electronicAddress">
    <xsl:param name="e" as="element()?"/>
    <xsl:if test="f:has($e)">
      <ram:URIUniversalCommunication>
        <ram:URIID>
          <xsl:if test="f:scheme($e) != ''"><xsl:attribute name="schemeID" select="f:scheme($e)"/></xsl:if>
          <xsl:value-of select="f:id($e)"/>
        </ram:URIID>
      </ram:URIUniversalCommunication>
    </xsl:if>
  </xsl:template>

  <!-- tax registration: VA = VAT identifier, FC = tax registration (fiscal) identifier -->
  <xsl:template name="f:taxRegistration">
    <xsl:param name="id" as="element()?"/>
    <xsl:param name="scheme" as="xs:string"/>
    <xsl:if test="f:has($id)">
      <ram:SpecifiedTaxRegistration>
        <ram:ID schemeID="{$scheme}"><xsl:value-of select="f:id($id)"/></ram:ID>
      </ram:SpecifiedTaxRegistration>
    </xsl:if>
  </xsl:template>

  <!-- BG-4 seller -->
  <xsl:template name="f:seller">
    <xsl:param name="p" as="element()?"/>
    <ram:SellerTradeParty>
      <xsl:call-template name="f:partyIds"><xsl:with-param name="ids" select="f:get($p, 'identifiers')/*"/></xsl:call-template> <!-- BT-29 -->
      <ram:Name><xsl:value-of select="string(f:get($p, 'name'))"/></ram:Name>                                         <!-- BT-27 -->
      <xsl:call-template name="f:freeText">                                                                                      <!-- BT-33 -->
        <xsl:with-param name="name" select="'ram:Description'"/>
        <xsl:with-param name="value" select="f:get($p, 'additionalLegalInfo')"/>
      </xsl:call-template>
      <xsl:call-template name="f:legalOrganization">                                                                         <!-- BT-30, BT-28 -->
        <xsl:with-param name="reg" select="f:get($p, 'legalRegistration')"/>
        <xsl:with-param name="tradingName" select="f:get($p, 'tradingName')"/>
      </xsl:call-template>
      <xsl:call-template name="f:contact"><xsl:with-param name="c" select="f:get($p, 'contact')"/></xsl:call-template>       <!-- BG-6 -->
      <xsl:call-template name="f:address"><xsl:with-param name="a" select="f:get($p, 'address')"/></xsl:call-template>       <!-- BG-5 -->
      <xsl:call-template name="f:electronicAddress"><xsl:with-param name="e" select="f:get($p, 'electronicAddress')"/></xsl:call-template> <!-- BT-34 -->
      <xsl:call-template name="f:taxRegistration"><xsl:with-param name="id" select="f:get($p, 'vatId')"/><xsl:with-param name="scheme" select="'VA'"/></xsl:call-template>            <!-- BT-31 -->
      <xsl:call-template name="f:taxRegistration"><xsl:with-param name="id" select="f:get($p, 'taxRegistrationId')"/><xsl:with-param name="scheme" select="'FC'"/></xsl:call-template> <!-- BT-32 -->
    </ram:SellerTradeParty>
  </xsl:template>

  <!-- BG-7 buyer -->
  <xsl:template name="f:buyer">
    <xsl:param name="p" as="element()?"/>
    <ram:BuyerTradeParty>
      <xsl:call-template name="f:partyIds"><xsl:with-param name="ids" select="f:get($p, 'identifier')"/></xsl:call-template> <!-- BT-46 -->
      <ram:Name><xsl:value-of select="string(f:get($p, 'name'))"/></ram:Name>                                       <!-- BT-44 -->
      <xsl:call-template name="f:legalOrganization">                                                                       <!-- BT-47, BT-45 -->
        <xsl:with-param name="reg" select="f:get($p, 'legalRegistration')"/>
        <xsl:with-param name="tradingName" select="f:get($p, 'tradingName')"/>
      </xsl:call-template>
      <xsl:call-template name="f:contact"><xsl:with-param name="c" select="f:get($p, 'contact')"/></xsl:call-template>     <!-- BG-9 -->
      <xsl:call-template name="f:address"><xsl:with-param name="a" select="f:get($p, 'address')"/></xsl:call-template>     <!-- BG-8 -->
      <xsl:call-template name="f:electronicAddress"><xsl:with-param name="e" select="f:get($p, 'electronicAddress')"/></xsl:call-template> <!-- BT-49 -->
      <xsl:call-template name="f:taxRegistration"><xsl:with-param name="id" select="f:get($p, 'vatId')"/><xsl:with-param name="scheme" select="'VA'"/></xsl:call-template> <!-- BT-48 -->
    </ram:BuyerTradeParty>
  </xsl:template>

  <!-- ============================================================ ApplicableHeaderTradeAgreement -->

  <xsl:template name="f:agreement">
    <xsl:param name="d" as="element()"/>
    <ram:ApplicableHeaderTradeAgreement>
      <xsl:call-template name="f:text">                                                      <!-- BT-10 -->
        <xsl:with-param name="name" select="'ram:BuyerReference'"/>
        <xsl:with-param name="value" select="f:get($d, 'buyerReference')"/>
      </xsl:call-template>
      <xsl:call-template name="f:seller"><xsl:with-param name="p" select="f:get($d, 'seller')"/></xsl:call-template>
      <xsl:call-template name="f:buyer"><xsl:with-param name="p" select="f:get($d, 'buyer')"/></xsl:call-template>
      <!-- BG-11 seller tax representative: BT-62, BG-12, BT-63 -->
      <xsl:variable name="tr" select="f:get($d, 'taxRepresentative')"/>
      <xsl:if test="f:has($tr)">
        <ram:SellerTaxRepresentativeTradeParty>
          <ram:Name><xsl:value-of select="string(f:get($tr, 'name'))"/></ram:Name>
          <xsl:call-template name="f:address"><xsl:with-param name="a" select="f:get($tr, 'address')"/></xsl:call-template>
          <xsl:call-template name="f:taxRegistration"><xsl:with-param name="id" select="f:get($tr, 'vatId')"/><xsl:with-param name="scheme" select="'VA'"/></xsl:call-template>
        </ram:SellerTaxRepresentativeTradeParty>
      </xsl:if>
      <!-- BT-14 sales order, BT-13 purchase order, BT-12 contract -->
      <xsl:call-template name="f:referencedDocument">
        <xsl:with-param name="name" select="'ram:SellerOrderReferencedDocument'"/>
        <xsl:with-param name="value" select="f:get($d, 'salesOrderReference')"/>
      </xsl:call-template>
      <xsl:call-template name="f:referencedDocument">
        <xsl:with-param name="name" select="'ram:BuyerOrderReferencedDocument'"/>
        <xsl:with-param name="value" select="f:get($d, 'purchaseOrderReference')"/>
      </xsl:call-template>
      <xsl:call-template name="f:referencedDocument">
        <xsl:with-param name="name" select="'ram:ContractReferencedDocument'"/>
        <xsl:with-param name="value" select="f:get($d, 'contractReference')"/>
      </xsl:call-template>
      <!-- BG-24 supporting documents (TypeCode 916): BT-122, BT-124, BT-123, BT-125 -->
      <xsl:for-each select="f:get($d, 'supportingDocuments')/map[f:has(f:get(., 'id'))]
          [not($omitVisualRepresentation = 'true' and string(f:get(f:get(., 'attachment'), 'visualRepresentation')) = 'true')]">
        <xsl:variable name="att" select="f:get(., 'attachment')"/>
        <ram:AdditionalReferencedDocument>
          <ram:IssuerAssignedID><xsl:value-of select="string(f:get(., 'id'))"/></ram:IssuerAssignedID>
          <xsl:call-template name="f:text">
            <xsl:with-param name="name" select="'ram:URIID'"/>
            <xsl:with-param name="value" select="f:get(., 'externalUri')"/>
          </xsl:call-template>
          <ram:TypeCode>916</ram:TypeCode>
          <xsl:call-template name="f:freeText">
            <xsl:with-param name="name" select="'ram:Name'"/>
            <xsl:with-param name="value" select="f:get(., 'description')"/>
          </xsl:call-template>
          <xsl:if test="f:has(f:get($att, 'content'))">
            <ram:AttachmentBinaryObject>
              <xsl:if test="f:has(f:get($att, 'mimeCode'))"><xsl:attribute name="mimeCode" select="string(f:get($att, 'mimeCode'))"/></xsl:if>
              <xsl:if test="f:has(f:get($att, 'filename'))"><xsl:attribute name="filename" select="string(f:get($att, 'filename'))"/></xsl:if>
              <xsl:value-of select="replace(string(f:get($att, 'content')), '\s', '')"/>
            </ram:AttachmentBinaryObject>
          </xsl:if>
        </ram:AdditionalReferencedDocument>
      </xsl:for-each>
      <!-- BT-17 tender or lot reference (TypeCode 50) -->
      <xsl:if test="f:has(f:get($d, 'tenderOrLotReference'))">
        <ram:AdditionalReferencedDocument>
          <ram:IssuerAssignedID><xsl:value-of select="f:id(f:get($d, 'tenderOrLotReference'))"/></ram:IssuerAssignedID>
          <ram:TypeCode>50</ram:TypeCode>
        </ram:AdditionalReferencedDocument>
      </xsl:if>
      <!-- BT-18 invoiced object identifier (TypeCode 130), BT-18-1 scheme -->
      <xsl:if test="f:has(f:get($d, 'invoicedObjectIdentifier'))">
        <xsl:call-template name="f:objectReference"><xsl:with-param name="v" select="f:get($d, 'invoicedObjectIdentifier')"/></xsl:call-template>
      </xsl:if>
      <!-- BT-11 project reference (Name is mandatory in CII) -->
      <xsl:if test="f:has(f:get($d, 'projectReference'))">
        <ram:SpecifiedProcuringProject>
          <ram:ID><xsl:value-of select="f:id(f:get($d, 'projectReference'))"/></ram:ID>
          <ram:Name>Project reference</ram:Name>
        </ram:SpecifiedProcuringProject>
      </xsl:if>
    </ram:ApplicableHeaderTradeAgreement>
  </xsl:template>

  <!-- referenced document carrying only IssuerAssignedID -->
  <xsl:template name="f:referencedDocument">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="element()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="{$name}">
        <ram:IssuerAssignedID><xsl:value-of select="f:id($value)"/></ram:IssuerAssignedID>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ ApplicableHeaderTradeDelivery (BG-13) -->

  <xsl:template name="f:delivery">
    <xsl:param name="d" as="element()"/>
    <xsl:variable name="dl" select="f:get($d, 'delivery')"/>
    <ram:ApplicableHeaderTradeDelivery>
      <xsl:if test="f:has(f:get($dl, 'partyName')) or f:has(f:get($dl, 'locationId')) or f:has(f:get($dl, 'address'))">
        <ram:ShipToTradeParty>
          <xsl:call-template name="f:partyIds"><xsl:with-param name="ids" select="f:get($dl, 'locationId')"/></xsl:call-template> <!-- BT-71 -->
          <xsl:call-template name="f:text">                                                                                      <!-- BT-70 -->
            <xsl:with-param name="name" select="'ram:Name'"/>
            <xsl:with-param name="value" select="f:get($dl, 'partyName')"/>
          </xsl:call-template>
          <xsl:call-template name="f:address"><xsl:with-param name="a" select="f:get($dl, 'address')"/></xsl:call-template>     <!-- BG-15 -->
        </ram:ShipToTradeParty>
      </xsl:if>
      <xsl:if test="f:has(f:get($dl, 'date'))">                                                                               <!-- BT-72 -->
        <ram:ActualDeliverySupplyChainEvent>
          <xsl:call-template name="f:dateTime">
            <xsl:with-param name="name" select="'ram:OccurrenceDateTime'"/>
            <xsl:with-param name="value" select="f:get($dl, 'date')"/>
          </xsl:call-template>
        </ram:ActualDeliverySupplyChainEvent>
      </xsl:if>
      <!-- BT-16 despatch advice, BT-15 receiving advice -->
      <xsl:call-template name="f:referencedDocument">
        <xsl:with-param name="name" select="'ram:DespatchAdviceReferencedDocument'"/>
        <xsl:with-param name="value" select="f:get($d, 'despatchAdviceReference')"/>
      </xsl:call-template>
      <xsl:call-template name="f:referencedDocument">
        <xsl:with-param name="name" select="'ram:ReceivingAdviceReferencedDocument'"/>
        <xsl:with-param name="value" select="f:get($d, 'receivingAdviceReference')"/>
      </xsl:call-template>
    </ram:ApplicableHeaderTradeDelivery>
  </xsl:template>

  <!-- ============================================================ ApplicableHeaderTradeSettlement -->

  <xsl:template name="f:settlement">
    <xsl:param name="d" as="element()"/>
    <xsl:variable name="pi" select="f:get($d, 'paymentInstructions')"/>
    <xsl:variable name="dd" select="f:get($pi, 'directDebit')"/>
    <xsl:variable name="totals" select="f:get($d, 'totals')"/>
    <xsl:variable name="currency" select="normalize-space(f:get($d, 'currencyCode'))"/>
    <!-- BT-6 equal to BT-5 means the VAT is accounted in the invoice currency, as an absent BT-6 (decision 0006) -->
    <xsl:variable name="taxCurrency" select="(string(f:get($d, 'taxCurrencyCode'))[. != $currency], '')[1]"/>
    <ram:ApplicableHeaderTradeSettlement>
      <xsl:call-template name="f:text">                                                     <!-- BT-90 -->
        <xsl:with-param name="name" select="'ram:CreditorReferenceID'"/>
        <xsl:with-param name="value" select="f:get($dd, 'creditorId')"/>
      </xsl:call-template>
      <xsl:call-template name="f:text">                                                     <!-- BT-83 -->
        <xsl:with-param name="name" select="'ram:PaymentReference'"/>
        <xsl:with-param name="value" select="f:get($pi, 'remittanceInformation')"/>
      </xsl:call-template>
      <xsl:if test="$taxCurrency != ''">                                                    <!-- BT-6 -->
        <ram:TaxCurrencyCode><xsl:value-of select="$taxCurrency"/></ram:TaxCurrencyCode>
      </xsl:if>
      <ram:InvoiceCurrencyCode><xsl:value-of select="$currency"/></ram:InvoiceCurrencyCode> <!-- BT-5 -->
      <xsl:call-template name="f:payee"><xsl:with-param name="p" select="f:get($d, 'payee')"/></xsl:call-template>
      <xsl:call-template name="f:paymentMeans"><xsl:with-param name="pi" select="$pi"/></xsl:call-template>
      <!-- BG-23 VAT breakdown -->
      <xsl:for-each select="f:get($d, 'vatBreakdown')/map">
        <xsl:call-template name="f:vatBreakdown">
          <xsl:with-param name="v" select="."/>
          <xsl:with-param name="d" select="$d"/>
          <xsl:with-param name="first" select="position() = 1"/>
        </xsl:call-template>
      </xsl:for-each>
      <!-- BG-14 invoicing period: BT-73, BT-74 -->
      <xsl:call-template name="f:period"><xsl:with-param name="p" select="f:get($d, 'invoicingPeriod')"/></xsl:call-template>
      <!-- BG-20 document allowances, BG-21 document charges -->
      <xsl:for-each select="f:get($d, 'allowances')/map">
        <xsl:call-template name="f:allowanceCharge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="false()"/><xsl:with-param name="withTax" select="true()"/></xsl:call-template>
      </xsl:for-each>
      <xsl:for-each select="f:get($d, 'charges')/map">
        <xsl:call-template name="f:allowanceCharge"><xsl:with-param name="ac" select="."/><xsl:with-param name="charge" select="true()"/><xsl:with-param name="withTax" select="true()"/></xsl:call-template>
      </xsl:for-each>
      <!-- payment terms: BT-20 description, BT-9 due date, BT-89 mandate reference -->
      <xsl:if test="f:has(f:get($d, 'paymentTerms')) or f:has(f:get($d, 'dueDate')) or f:has(f:get($dd, 'mandateReference'))">
        <ram:SpecifiedTradePaymentTerms>
          <xsl:call-template name="f:freeText">
            <xsl:with-param name="name" select="'ram:Description'"/>
            <xsl:with-param name="value" select="f:get($d, 'paymentTerms')"/>
          </xsl:call-template>
          <xsl:call-template name="f:dateTime">
            <xsl:with-param name="name" select="'ram:DueDateDateTime'"/>
            <xsl:with-param name="value" select="f:get($d, 'dueDate')"/>
          </xsl:call-template>
          <xsl:call-template name="f:text">
            <xsl:with-param name="name" select="'ram:DirectDebitMandateID'"/>
            <xsl:with-param name="value" select="f:get($dd, 'mandateReference')"/>
          </xsl:call-template>
        </ram:SpecifiedTradePaymentTerms>
      </xsl:if>
      <xsl:call-template name="f:totals">
        <xsl:with-param name="t" select="$totals"/>
        <xsl:with-param name="currency" select="$currency"/>
        <xsl:with-param name="taxCurrency" select="$taxCurrency"/>
      </xsl:call-template>
      <!-- BG-3 preceding invoice reference: BT-25, BT-26 (CII D16B allows one) -->
      <xsl:for-each select="(f:get($d, 'precedingInvoices')/map[f:has(f:get(., 'number'))])[1]">
        <ram:InvoiceReferencedDocument>
          <ram:IssuerAssignedID><xsl:value-of select="string(f:get(., 'number'))"/></ram:IssuerAssignedID>
          <xsl:if test="f:has(f:get(., 'issueDate'))">
            <ram:FormattedIssueDateTime>
              <qdt:DateTimeString format="102"><xsl:value-of select="f:d102(f:get(., 'issueDate'))"/></qdt:DateTimeString>
            </ram:FormattedIssueDateTime>
          </xsl:if>
        </ram:InvoiceReferencedDocument>
      </xsl:for-each>
      <!-- BT-19 buyer accounting reference -->
      <xsl:if test="f:has(f:get($d, 'buyerAccountingReference'))">
        <ram:ReceivableSpecifiedTradeAccountingAccount>
          <ram:ID><xsl:value-of select="string(f:get($d, 'buyerAccountingReference'))"/></ram:ID>
        </ram:ReceivableSpecifiedTradeAccountingAccount>
      </xsl:if>
    </ram:ApplicableHeaderTradeSettlement>
  </xsl:template>

  <!-- BG-10 payee: BT-60 identifier, BT-59 name, BT-61 legal registration -->
  <xsl:template name="f:payee">
    <xsl:param name="p" as="element()?"/>
    <xsl:if test="f:has($p)">
      <ram:PayeeTradeParty>
        <xsl:call-template name="f:partyIds"><xsl:with-param name="ids" select="f:get($p, 'identifier')"/></xsl:call-template>
        <ram:Name><xsl:value-of select="string(f:get($p, 'name'))"/></ram:Name>
        <xsl:call-template name="f:legalOrganization">
          <xsl:with-param name="reg" select="f:get($p, 'legalRegistration')"/>
          <xsl:with-param name="tradingName" select="()"/>
        </xsl:call-template>
      </ram:PayeeTradeParty>
    </xsl:if>
  </xsl:template>

  <!-- BG-16 payment instructions: one SpecifiedTradeSettlementPaymentMeans per BG-17 credit transfer account,
       otherwise one carrying BG-18 card / BG-19 debited account -->
  <xsl:template name="f:paymentMeans">
    <xsl:param name="pi" as="element()?"/>
    <xsl:if test="f:has(f:get($pi, 'meansCode'))">
      <xsl:variable name="transfers" select="f:get($pi, 'creditTransfers')/map[f:has(.)]"/>
      <xsl:choose>
        <xsl:when test="exists($transfers)">
          <xsl:for-each select="$transfers">
            <xsl:call-template name="f:paymentMeansOne">
              <xsl:with-param name="pi" select="$pi"/>
              <xsl:with-param name="ct" select="."/>
              <xsl:with-param name="first" select="position() = 1"/>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="f:paymentMeansOne"><xsl:with-param name="pi" select="$pi"/></xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <xsl:template name="f:paymentMeansOne">
    <xsl:param name="pi" as="element()"/>
    <xsl:param name="ct" as="element()?"/>
    <!-- BT-82 (like BT-81 a document-level term) is written once, on the first payment means -->
    <xsl:param name="first" as="xs:boolean" select="true()"/>
    <xsl:variable name="card" select="f:get($pi, 'card')"/>
    <xsl:variable name="dd" select="f:get($pi, 'directDebit')"/>
    <ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:TypeCode><xsl:value-of select="string(f:get($pi, 'meansCode'))"/></ram:TypeCode>  <!-- BT-81 -->
      <xsl:if test="$first">
        <xsl:call-template name="f:freeText">                                                           <!-- BT-82 -->
          <xsl:with-param name="name" select="'ram:Information'"/>
          <xsl:with-param name="value" select="f:get($pi, 'meansText')"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="f:has($card)">                                                                  <!-- BG-18: BT-87, BT-88 -->
        <ram:ApplicableTradeSettlementFinancialCard>
          <ram:ID><xsl:value-of select="string(f:get($card, 'primaryAccountNumber'))"/></ram:ID>
          <xsl:call-template name="f:text">
            <xsl:with-param name="name" select="'ram:CardholderName'"/>
            <xsl:with-param name="value" select="f:get($card, 'holderName')"/>
          </xsl:call-template>
        </ram:ApplicableTradeSettlementFinancialCard>
      </xsl:if>
      <xsl:if test="f:has(f:get($dd, 'debitedAccountId'))">                                         <!-- BT-91 -->
        <ram:PayerPartyDebtorFinancialAccount>
          <ram:IBANID><xsl:value-of select="string(f:get($dd, 'debitedAccountId'))"/></ram:IBANID>
        </ram:PayerPartyDebtorFinancialAccount>
      </xsl:if>
      <xsl:if test="f:has(f:get($ct, 'accountId'))">                                                <!-- BG-17: BT-84, BT-85 -->
        <!-- BT-84 is written exactly as given (never rewrite an identifier); whether it is an IBAN is decided
             on the id without its spaces. D16B order: IBANID, AccountName, ProprietaryID. -->
        <xsl:variable name="isIban" select="matches(replace(f:get($ct, 'accountId'), '\s', ''), '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$')"/>
        <ram:PayeePartyCreditorFinancialAccount>
          <xsl:if test="$isIban"><ram:IBANID><xsl:value-of select="string(f:get($ct, 'accountId'))"/></ram:IBANID></xsl:if>
          <xsl:call-template name="f:text">
            <xsl:with-param name="name" select="'ram:AccountName'"/>
            <xsl:with-param name="value" select="f:get($ct, 'accountName')"/>
          </xsl:call-template>
          <xsl:if test="not($isIban)"><ram:ProprietaryID><xsl:value-of select="string(f:get($ct, 'accountId'))"/></ram:ProprietaryID></xsl:if>
        </ram:PayeePartyCreditorFinancialAccount>
      </xsl:if>
      <xsl:if test="f:has(f:get($ct, 'serviceProviderId'))">                                        <!-- BT-86 -->
        <ram:PayeeSpecifiedCreditorFinancialInstitution>
          <ram:BICID><xsl:value-of select="string(f:get($ct, 'serviceProviderId'))"/></ram:BICID>
        </ram:PayeeSpecifiedCreditorFinancialInstitution>
      </xsl:if>
    </ram:SpecifiedTradeSettlementPaymentMeans>
  </xsl:template>

  <!-- BG-23 VAT breakdown: BT-117, BT-120, BT-116, BT-118, BT-121, BT-7, BT-8, BT-119 -->
  <xsl:template name="f:vatBreakdown">
    <xsl:param name="v" as="element()"/>
    <xsl:param name="d" as="element()"/>
    <!-- BT-7 and BT-8 are document-level: written once, in the first breakdown (CII-SR-461, CII-SR-462) -->
    <xsl:param name="first" as="xs:boolean"/>
    <ram:ApplicableTradeTax>
      <ram:CalculatedAmount><xsl:value-of select="f:num(f:get($v, 'taxAmount'))"/></ram:CalculatedAmount>
      <ram:TypeCode>VAT</ram:TypeCode>
      <xsl:call-template name="f:freeText">
        <xsl:with-param name="name" select="'ram:ExemptionReason'"/>
        <xsl:with-param name="value" select="f:get($v, 'exemptionReason')"/>
      </xsl:call-template>
      <ram:BasisAmount><xsl:value-of select="f:num(f:get($v, 'taxableAmount'))"/></ram:BasisAmount>
      <ram:CategoryCode><xsl:value-of select="string(f:get($v, 'categoryCode'))"/></ram:CategoryCode>
      <xsl:call-template name="f:text">
        <xsl:with-param name="name" select="'ram:ExemptionReasonCode'"/>
        <xsl:with-param name="value" select="f:get($v, 'exemptionReasonCode')"/>
      </xsl:call-template>
      <xsl:if test="$first and f:has(f:get($d, 'taxPointDate'))">
        <ram:TaxPointDate><udt:DateString format="102"><xsl:value-of select="f:d102(f:get($d, 'taxPointDate'))"/></udt:DateString></ram:TaxPointDate>
      </xsl:if>
      <xsl:if test="$first and f:has(f:get($d, 'vatPointDateCode'))">
        <ram:DueDateTypeCode><xsl:value-of select="f:dueDateTypeCode(normalize-space(f:get($d, 'vatPointDateCode')))"/></ram:DueDateTypeCode>
      </xsl:if>
      <xsl:call-template name="f:number">
        <xsl:with-param name="name" select="'ram:RateApplicablePercent'"/>
        <xsl:with-param name="value" select="f:get($v, 'rate')"/>
      </xsl:call-template>
    </ram:ApplicableTradeTax>
  </xsl:template>

  <!-- BG-22 document totals: BT-106, BT-108, BT-107, BT-109, BT-110, BT-111, BT-114, BT-112, BT-113, BT-115 -->
  <xsl:template name="f:totals">
    <xsl:param name="t" as="element()?"/>
    <xsl:param name="currency" as="xs:string"/>
    <xsl:param name="taxCurrency" as="xs:string"/>
    <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
      <ram:LineTotalAmount><xsl:value-of select="f:num(f:get($t, 'lineNetAmount'))"/></ram:LineTotalAmount>
      <xsl:call-template name="f:number"><xsl:with-param name="name" select="'ram:ChargeTotalAmount'"/><xsl:with-param name="value" select="f:get($t, 'chargeTotalAmount')"/></xsl:call-template>
      <xsl:call-template name="f:number"><xsl:with-param name="name" select="'ram:AllowanceTotalAmount'"/><xsl:with-param name="value" select="f:get($t, 'allowanceTotalAmount')"/></xsl:call-template>
      <ram:TaxBasisTotalAmount><xsl:value-of select="f:num(f:get($t, 'taxExclusiveAmount'))"/></ram:TaxBasisTotalAmount>
      <xsl:if test="f:has(f:get($t, 'taxAmount'))">
        <ram:TaxTotalAmount currencyID="{$currency}"><xsl:value-of select="f:num(f:get($t, 'taxAmount'))"/></ram:TaxTotalAmount>
      </xsl:if>
      <xsl:if test="$taxCurrency != '' and f:has(f:get($t, 'taxAmountInTaxCurrency'))">
        <ram:TaxTotalAmount currencyID="{$taxCurrency}"><xsl:value-of select="f:num(f:get($t, 'taxAmountInTaxCurrency'))"/></ram:TaxTotalAmount>
      </xsl:if>
      <xsl:call-template name="f:number"><xsl:with-param name="name" select="'ram:RoundingAmount'"/><xsl:with-param name="value" select="f:get($t, 'roundingAmount')"/></xsl:call-template>
      <ram:GrandTotalAmount><xsl:value-of select="f:num(f:get($t, 'taxInclusiveAmount'))"/></ram:GrandTotalAmount>
      <xsl:call-template name="f:number"><xsl:with-param name="name" select="'ram:TotalPrepaidAmount'"/><xsl:with-param name="value" select="f:get($t, 'prepaidAmount')"/></xsl:call-template>
      <ram:DuePayableAmount><xsl:value-of select="f:num(f:get($t, 'payableAmount'))"/></ram:DuePayableAmount>
    </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </xsl:template>

</xsl:stylesheet>
