<?xml version="1.0" encoding="UTF-8"?>
<!--
  unified-to-fa3.xsl : unified JSON invoice model (EN 16931 as JSON, docs/decisions/0001-unified-model.md)
  plus document.extensions.pl to the Polish structured invoice FA(3) of KSeF 2.0
  (namespace http://crd.gov.pl/wzor/2025/06/25/13775/, schemat_FA(3)_v1-0E.xsd in schema/).

  Input : the XPath 3.1 XML representation of the JSON `document` object (fn:json-to-xml), as for ubl/ and cii/.
  Output: Faktura; element order follows the FA(3) XSD sequences; no empty elements.
  A credit note (BT-3 381) becomes RodzajFaktury KOR with negative amounts (FA(3) corrections carry the
  difference; the unified model carries credit-note amounts as positive numbers). BT-3 384 becomes KOR with
  the amounts as sent.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:j="http://www.w3.org/2005/xpath-functions"
    xmlns:f="urn:einvoicing-hub:functions"
    xmlns="http://crd.gov.pl/wzor/2025/06/25/13775/"
    exclude-result-prefixes="xs j f">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <!-- Naglowek/DataWytworzeniaFa; empty: the current date-time in UTC -->
  <xsl:param name="generatedAt" as="xs:string" select="''"/>
  <!-- Naglowek/SystemInfo -->
  <xsl:param name="systemInfo" as="xs:string" select="'einvoicing-hub'"/>

  <!-- ============================================================ helpers -->

  <xsl:function name="f:get" as="element()?">
    <xsl:param name="obj" as="element()?"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="$obj/*[@key = $key][1]"/>
  </xsl:function>

  <xsl:function name="f:has" as="xs:boolean">
    <xsl:param name="v" as="item()*"/>
    <xsl:sequence select="some $x in $v satisfies normalize-space(string($x)) ne ''"/>
  </xsl:function>

  <xsl:function name="f:dec" as="xs:decimal">
    <xsl:param name="v" as="item()?"/>
    <xsl:variable name="s" select="normalize-space(string($v))"/>
    <!-- JSON numbers keep the ERP's lexical form; only exponent notation goes through xs:double -->
    <xsl:sequence select="if ($s eq '') then 0 else if (matches($s, '[eE]')) then xs:decimal(xs:double($s)) else xs:decimal($s)"/>
  </xsl:function>

  <!-- amount with two decimals (TKwotowy) -->
  <xsl:function name="f:amt" as="xs:string">
    <xsl:param name="d" as="xs:decimal"/>
    <xsl:sequence select="format-number($d, '0.00')"/>
  </xsl:function>

  <!-- decimal as plain lexical form (quantities, unit prices, rates of exchange) -->
  <xsl:function name="f:plain" as="xs:string">
    <xsl:param name="d" as="xs:decimal"/>
    <xsl:sequence select="string($d)"/>
  </xsl:function>

  <xsl:function name="f:doc" as="element(j:map)">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="root($n)/j:map"/>
  </xsl:function>

  <xsl:function name="f:pl" as="element()?">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="f:get(f:get(f:doc($n), 'extensions'), 'pl')"/>
  </xsl:function>

  <!-- -1 for a credit note (amounts become the negative difference), else 1 -->
  <xsl:function name="f:sign" as="xs:decimal">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="if (normalize-space(f:get(f:doc($n), 'typeCode')) = '381') then -1 else 1"/>
  </xsl:function>

  <xsl:function name="f:isCorrection" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="normalize-space(f:get(f:doc($n), 'typeCode')) = ('381', '384')"/>
  </xsl:function>

  <!-- EN 16931 VAT category + rate to the FA(3) rate code (P_12) -->
  <xsl:function name="f:rateCode" as="xs:string">
    <xsl:param name="category" as="xs:string"/>
    <xsl:param name="rate" as="xs:decimal"/>
    <xsl:sequence select="
        if ($category = 'S') then string(xs:integer($rate))
        else if ($category = 'Z') then '0 KR'
        else if ($category = 'K') then '0 WDT'
        else if ($category = 'G') then '0 EX'
        else if ($category = 'E') then 'zw'
        else if ($category = 'AE') then 'oo'
        else if ($category = 'O') then 'np I'
        else error(QName('urn:einvoicing-hub:functions', 'FA3-RATE'), 'VAT category ' || $category || ' has no FA(3) rate')"/>
  </xsl:function>

  <!-- FA(3) P_13 group of a rate code: 1 (23/22), 2 (8/7), 3 (5), 4 (4/3), 6_1, 6_2, 6_3, 7, 8, 10 -->
  <xsl:function name="f:group" as="xs:string">
    <xsl:param name="rateCode" as="xs:string"/>
    <xsl:sequence select="
        if ($rateCode = ('23', '22')) then '1'
        else if ($rateCode = ('8', '7')) then '2'
        else if ($rateCode = '5') then '3'
        else if ($rateCode = ('4', '3')) then '4'
        else if ($rateCode = '0 KR') then '6_1'
        else if ($rateCode = '0 WDT') then '6_2'
        else if ($rateCode = '0 EX') then '6_3'
        else if ($rateCode = 'zw') then '7'
        else if ($rateCode = 'np I') then '8'
        else if ($rateCode = 'oo') then '10'
        else error(QName('urn:einvoicing-hub:functions', 'FA3-RATE'), 'VAT rate ' || $rateCode || ' % is not a Polish rate')"/>
  </xsl:function>

  <xsl:function name="f:vatGroup" as="xs:string">
    <xsl:param name="vat" as="element()"/>
    <xsl:sequence select="f:group(f:rateCode(normalize-space(f:get($vat, 'categoryCode')), f:dec(f:get($vat, 'rate'))))"/>
  </xsl:function>

  <!-- 1/2 flag: 1 = yes -->
  <xsl:function name="f:flag" as="xs:string">
    <xsl:param name="b" as="xs:boolean"/>
    <xsl:sequence select="if ($b) then '1' else '2'"/>
  </xsl:function>

  <xsl:function name="f:true" as="xs:boolean">
    <xsl:param name="v" as="element()?"/>
    <xsl:sequence select="exists($v[self::j:boolean]) and string($v) = 'true'"/>
  </xsl:function>

  <!-- VAT identifier without its country prefix -->
  <xsl:function name="f:vatNumber" as="xs:string">
    <xsl:param name="vatId" as="xs:string"/>
    <xsl:sequence select="if (matches($vatId, '^[A-Z]{2}')) then substring($vatId, 3) else $vatId"/>
  </xsl:function>

  <!-- UN/ECE Rec 20 unit to the Polish unit name printed on invoices (P_8A is free text) -->
  <xsl:function name="f:unit" as="xs:string">
    <xsl:param name="code" as="xs:string"/>
    <xsl:sequence select="
        if ($code = ('H87', 'C62', 'EA', 'XPP')) then 'szt.'
        else if ($code = 'HUR') then 'godz.' else if ($code = 'DAY') then 'dzień'
        else if ($code = 'MON') then 'mies.' else if ($code = 'KGM') then 'kg'
        else if ($code = 'MTR') then 'm' else if ($code = 'LTR') then 'l'
        else if ($code = 'MTK') then 'm2' else if ($code = 'KWH') then 'kWh' else $code"/>
  </xsl:function>

  <xsl:template name="text">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="item()?"/>
    <xsl:if test="f:has($value)">
      <xsl:element name="{$name}"><xsl:value-of select="normalize-space(string($value))"/></xsl:element>
    </xsl:if>
  </xsl:template>

  <xsl:template name="address">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="address" as="element()?"/>
    <xsl:if test="exists($address)">
      <xsl:element name="{$name}">
        <KodKraju><xsl:value-of select="normalize-space(f:get($address, 'countryCode'))"/></KodKraju>
        <AdresL1><xsl:value-of select="string-join((f:get($address, 'line1'), f:get($address, 'line2'), f:get($address, 'line3'))[f:has(.)] ! normalize-space(.), ', ')"/></AdresL1>
        <xsl:variable name="l2" select="string-join((f:get($address, 'postalCode'), f:get($address, 'city'))[f:has(.)] ! normalize-space(.), ' ')"/>
        <xsl:if test="$l2 ne ''"><AdresL2><xsl:value-of select="$l2"/></AdresL2></xsl:if>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <xsl:template name="contact">
    <xsl:param name="contact" as="element()?"/>
    <xsl:if test="f:has((f:get($contact, 'email'), f:get($contact, 'phone')))">
      <DaneKontaktowe>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'Email'"/><xsl:with-param name="value" select="f:get($contact, 'email')"/></xsl:call-template>
        <xsl:if test="f:has(f:get($contact, 'phone'))">
          <Telefon><xsl:value-of select="substring(normalize-space(f:get($contact, 'phone')), 1, 16)"/></Telefon>
        </xsl:if>
      </DaneKontaktowe>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ document -->

  <xsl:template match="/">
    <xsl:variable name="doc" select="f:doc(.)"/>
    <Faktura>
      <Naglowek>
        <KodFormularza kodSystemowy="FA (3)" wersjaSchemy="1-0E">FA</KodFormularza>
        <WariantFormularza>3</WariantFormularza>
        <DataWytworzeniaFa>
          <xsl:value-of select="if ($generatedAt ne '') then $generatedAt
              else format-dateTime(adjust-dateTime-to-timezone(current-dateTime(), xs:dayTimeDuration('PT0S')), '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z')"/>
        </DataWytworzeniaFa>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'SystemInfo'"/><xsl:with-param name="value" select="$systemInfo"/></xsl:call-template>
      </Naglowek>
      <xsl:apply-templates select="f:get($doc, 'seller')" mode="seller"/>
      <xsl:apply-templates select="f:get($doc, 'buyer')" mode="buyer"/>
      <xsl:call-template name="fa"/>
    </Faktura>
  </xsl:template>

  <!-- BG-4 seller: Podmiot1 (the NIP from BT-31 without PL, else BT-32) -->
  <xsl:template match="j:map" mode="seller">
    <xsl:variable name="vat" select="normalize-space(f:get(., 'vatId'))"/>
    <Podmiot1>
      <xsl:if test="starts-with($vat, 'PL')"><PrefiksPodatnika>PL</PrefiksPodatnika></xsl:if>
      <DaneIdentyfikacyjne>
        <NIP><xsl:value-of select="if ($vat ne '') then f:vatNumber($vat) else normalize-space(f:get(., 'taxRegistrationId'))"/></NIP>
        <Nazwa><xsl:value-of select="normalize-space(f:get(., 'name'))"/></Nazwa>
      </DaneIdentyfikacyjne>
      <xsl:call-template name="address"><xsl:with-param name="name" select="'Adres'"/><xsl:with-param name="address" select="f:get(., 'address')"/></xsl:call-template>
      <xsl:call-template name="contact"><xsl:with-param name="contact" select="f:get(., 'contact')"/></xsl:call-template>
    </Podmiot1>
  </xsl:template>

  <!-- BG-7 buyer: Podmiot2 — Polish NIP, EU VAT number, other tax id, or BrakID -->
  <xsl:template match="j:map" mode="buyer">
    <xsl:variable name="vat" select="normalize-space(f:get(., 'vatId'))"/>
    <xsl:variable name="country" select="normalize-space(f:get(f:get(., 'address'), 'countryCode'))"/>
    <xsl:variable name="pl" select="f:pl(.)"/>
    <Podmiot2>
      <DaneIdentyfikacyjne>
        <xsl:choose>
          <xsl:when test="starts-with($vat, 'PL') or ($vat ne '' and matches($vat, '^\d{10}$'))">
            <NIP><xsl:value-of select="f:vatNumber($vat)"/></NIP>
          </xsl:when>
          <xsl:when test="$vat ne '' and substring($vat, 1, 2) = ('AT','BE','BG','CY','CZ','DE','DK','EE','EL','ES','FI','FR','HR','HU','IE','IT','LT','LU','LV','MT','NL','PT','RO','SE','SI','SK','XI')">
            <KodUE><xsl:value-of select="substring($vat, 1, 2)"/></KodUE>
            <NrVatUE><xsl:value-of select="substring($vat, 3)"/></NrVatUE>
          </xsl:when>
          <xsl:when test="$vat ne ''">
            <xsl:if test="$country ne ''"><KodKraju><xsl:value-of select="$country"/></KodKraju></xsl:if>
            <NrID><xsl:value-of select="$vat"/></NrID>
          </xsl:when>
          <xsl:otherwise><BrakID>1</BrakID></xsl:otherwise>
        </xsl:choose>
        <Nazwa><xsl:value-of select="normalize-space(f:get(., 'name'))"/></Nazwa>
      </DaneIdentyfikacyjne>
      <xsl:call-template name="address"><xsl:with-param name="name" select="'Adres'"/><xsl:with-param name="address" select="f:get(., 'address')"/></xsl:call-template>
      <xsl:call-template name="contact"><xsl:with-param name="contact" select="f:get(., 'contact')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'NrKlienta'"/><xsl:with-param name="value" select="f:get(f:get(., 'identifier'), 'id')"/></xsl:call-template>
      <JST><xsl:value-of select="f:flag(f:true(f:get($pl, 'buyerIsLocalGovernmentUnit')))"/></JST>
      <GV><xsl:value-of select="f:flag(f:true(f:get($pl, 'buyerIsVatGroupMember')))"/></GV>
    </Podmiot2>
  </xsl:template>

  <!-- ============================================================ Fa -->

  <xsl:template name="fa">
    <xsl:variable name="doc" select="f:doc(.)"/>
    <xsl:variable name="pl" select="f:pl(.)"/>
    <xsl:variable name="sign" select="f:sign(.)"/>
    <xsl:variable name="currency" select="normalize-space(f:get($doc, 'currencyCode'))"/>
    <xsl:variable name="rate" select="if (f:has(f:get($pl, 'exchangeRate'))) then f:dec(f:get($pl, 'exchangeRate')) else ()"/>
    <xsl:if test="$currency ne 'PLN' and empty($rate)">
      <xsl:sequence select="error(QName('urn:einvoicing-hub:functions', 'FA3-RATE'), 'An invoice in ' || $currency || ' needs extensions.pl.exchangeRate (PLN per unit) for the VAT in PLN (P_14_xW)')"/>
    </xsl:if>
    <xsl:variable name="breakdown" select="f:get($doc, 'vatBreakdown')/j:map"/>
    <Fa>
      <KodWaluty><xsl:value-of select="$currency"/></KodWaluty>
      <P_1><xsl:value-of select="normalize-space(f:get($doc, 'issueDate'))"/></P_1>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'P_1M'"/><xsl:with-param name="value" select="f:get($pl, 'placeOfIssue')"/></xsl:call-template>
      <P_2><xsl:value-of select="normalize-space(f:get($doc, 'number'))"/></P_2>
      <xsl:variable name="period" select="f:get($doc, 'invoicingPeriod')"/>
      <xsl:choose>
        <xsl:when test="f:has(f:get(f:get($doc, 'delivery'), 'date'))"><P_6><xsl:value-of select="normalize-space(f:get(f:get($doc, 'delivery'), 'date'))"/></P_6></xsl:when>
        <xsl:when test="f:has(f:get($period, 'startDate')) and f:has(f:get($period, 'endDate'))">
          <OkresFa><P_6_Od><xsl:value-of select="f:get($period, 'startDate')"/></P_6_Od><P_6_Do><xsl:value-of select="f:get($period, 'endDate')"/></P_6_Do></OkresFa>
        </xsl:when>
        <xsl:when test="f:has(f:get($doc, 'taxPointDate'))"><P_6><xsl:value-of select="normalize-space(f:get($doc, 'taxPointDate'))"/></P_6></xsl:when>
      </xsl:choose>
      <!-- P_13_x / P_14_x (/ P_14_xW in PLN) per rate group, in the XSD's order -->
      <xsl:for-each select="('1', '2', '3', '4', '6_1', '6_2', '6_3', '7', '8', '10')">
        <xsl:variable name="g" select="."/>
        <xsl:variable name="entries" select="$breakdown[f:vatGroup(.) = $g]"/>
        <xsl:if test="exists($entries)">
          <xsl:variable name="net" select="sum($entries ! f:dec(f:get(., 'taxableAmount'))) * $sign"/>
          <xsl:variable name="tax" select="sum($entries ! f:dec(f:get(., 'taxAmount'))) * $sign"/>
          <xsl:element name="P_13_{$g}"><xsl:value-of select="f:amt($net)"/></xsl:element>
          <xsl:if test="$g = ('1', '2', '3', '4')">
            <xsl:element name="P_14_{$g}"><xsl:value-of select="f:amt($tax)"/></xsl:element>
            <xsl:if test="$currency ne 'PLN'">
              <xsl:element name="P_14_{$g}W"><xsl:value-of select="f:amt(round($tax * $rate, 2))"/></xsl:element>
            </xsl:if>
          </xsl:if>
        </xsl:if>
      </xsl:for-each>
      <P_15><xsl:value-of select="f:amt(f:dec(f:get(f:get($doc, 'totals'), 'taxInclusiveAmount')) * $sign)"/></P_15>
      <xsl:call-template name="annotations"/>
      <RodzajFaktury><xsl:value-of select="if (f:isCorrection(.)) then 'KOR' else 'VAT'"/></RodzajFaktury>
      <xsl:if test="f:isCorrection(.)">
        <xsl:variable name="correction" select="f:get($pl, 'correction')"/>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'PrzyczynaKorekty'"/><xsl:with-param name="value" select="f:get($correction, 'reason')"/></xsl:call-template>
        <xsl:call-template name="text"><xsl:with-param name="name" select="'TypKorekty'"/><xsl:with-param name="value" select="f:get($correction, 'effect')"/></xsl:call-template>
        <xsl:variable name="preceding" select="f:get($doc, 'precedingInvoices')/j:map"/>
        <xsl:if test="empty($preceding)">
          <xsl:sequence select="error(QName('urn:einvoicing-hub:functions', 'FA3-KOR'), 'A correction (BT-3 ' || f:get($doc, 'typeCode') || ') needs precedingInvoices (BG-3) with number and issue date')"/>
        </xsl:if>
        <xsl:for-each select="$preceding">
          <xsl:variable name="ksef" select="normalize-space((f:get(., 'ksefNumber'), if (position() = 1) then f:get($correction, 'correctedKsefNumber') else ())[f:has(.)][1])"/>
          <DaneFaKorygowanej>
            <DataWystFaKorygowanej><xsl:value-of select="normalize-space(f:get(., 'issueDate'))"/></DataWystFaKorygowanej>
            <NrFaKorygowanej><xsl:value-of select="normalize-space(f:get(., 'number'))"/></NrFaKorygowanej>
            <xsl:choose>
              <xsl:when test="$ksef ne ''"><NrKSeF>1</NrKSeF><NrKSeFFaKorygowanej><xsl:value-of select="$ksef"/></NrKSeFFaKorygowanej></xsl:when>
              <xsl:otherwise><NrKSeFN>1</NrKSeFN></xsl:otherwise>
            </xsl:choose>
          </DaneFaKorygowanej>
        </xsl:for-each>
      </xsl:if>
      <xsl:for-each select="f:get($doc, 'notes')/j:map[f:has(f:get(., 'text'))]">
        <DodatkowyOpis>
          <Klucz><xsl:value-of select="if (f:has(f:get(., 'subjectCode'))) then 'Uwagi ' || normalize-space(f:get(., 'subjectCode')) else 'Uwagi'"/></Klucz>
          <Wartosc><xsl:value-of select="substring(normalize-space(f:get(., 'text')), 1, 240)"/></Wartosc>
        </DodatkowyOpis>
      </xsl:for-each>
      <xsl:for-each select="f:get($doc, 'lines')/j:map">
        <xsl:call-template name="line">
          <xsl:with-param name="position" select="position()"/>
          <xsl:with-param name="sign" select="$sign"/>
          <xsl:with-param name="rate" select="if ($currency ne 'PLN') then $rate else ()"/>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:call-template name="payment"/>
      <xsl:call-template name="terms"/>
    </Fa>
  </xsl:template>

  <!-- Adnotacje: every flag is written (1 = yes, 2 = no), as FA(3) requires -->
  <xsl:template name="annotations">
    <xsl:variable name="doc" select="f:doc(.)"/>
    <xsl:variable name="pl" select="f:pl(.)"/>
    <xsl:variable name="categories" select="f:get($doc, 'vatBreakdown')/j:map/f:get(., 'categoryCode') ! normalize-space(.)"/>
    <Adnotacje>
      <P_16><xsl:value-of select="f:flag(f:true(f:get($pl, 'cashAccounting')))"/></P_16>
      <P_17><xsl:value-of select="f:flag(normalize-space(f:get($doc, 'typeCode')) = '389' or f:true(f:get($pl, 'selfBilling')))"/></P_17>
      <P_18><xsl:value-of select="f:flag($categories = 'AE')"/></P_18>
      <P_18A><xsl:value-of select="f:flag(f:true(f:get($pl, 'splitPayment')))"/></P_18A>
      <Zwolnienie>
        <xsl:choose>
          <xsl:when test="$categories = 'E'">
            <xsl:variable name="exempt" select="f:get($doc, 'vatBreakdown')/j:map[normalize-space(f:get(., 'categoryCode')) = 'E'][1]"/>
            <xsl:variable name="basis" select="f:get($pl, 'exemptionBasis')"/>
            <P_19>1</P_19>
            <xsl:choose>
              <xsl:when test="f:has(f:get($basis, 'polishLaw'))"><P_19A><xsl:value-of select="normalize-space(f:get($basis, 'polishLaw'))"/></P_19A></xsl:when>
              <xsl:when test="f:has(f:get($basis, 'directive'))"><P_19B><xsl:value-of select="normalize-space(f:get($basis, 'directive'))"/></P_19B></xsl:when>
              <xsl:when test="f:has(f:get($basis, 'other'))"><P_19C><xsl:value-of select="normalize-space(f:get($basis, 'other'))"/></P_19C></xsl:when>
              <xsl:otherwise><P_19C><xsl:value-of select="normalize-space((f:get($exempt, 'exemptionReason'), f:get($exempt, 'exemptionReasonCode'))[f:has(.)][1])"/></P_19C></xsl:otherwise>
            </xsl:choose>
          </xsl:when>
          <xsl:otherwise><P_19N>1</P_19N></xsl:otherwise>
        </xsl:choose>
      </Zwolnienie>
      <NoweSrodkiTransportu><P_22N>1</P_22N></NoweSrodkiTransportu>
      <P_23>2</P_23>
      <PMarzy><P_PMarzyN>1</P_PMarzyN></PMarzy>
    </Adnotacje>
  </xsl:template>

  <!-- BG-25 line: FaWiersz -->
  <xsl:template name="line">
    <xsl:param name="position" as="xs:integer"/>
    <xsl:param name="sign" as="xs:decimal"/>
    <xsl:param name="rate" as="xs:decimal?"/>
    <xsl:variable name="item" select="f:get(., 'item')"/>
    <xsl:variable name="price" select="f:get(., 'price')"/>
    <xsl:variable name="vat" select="f:get(., 'vat')"/>
    <FaWiersz>
      <NrWierszaFa><xsl:value-of select="$position"/></NrWierszaFa>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'UU_ID'"/><xsl:with-param name="value" select="f:get(., 'id')"/></xsl:call-template>
      <P_7><xsl:value-of select="normalize-space(f:get($item, 'name'))"/></P_7>
      <xsl:call-template name="text"><xsl:with-param name="name" select="'Indeks'"/><xsl:with-param name="value" select="f:get($item, 'sellerId')"/></xsl:call-template>
      <xsl:variable name="standard" select="f:get($item, 'standardId')"/>
      <xsl:if test="normalize-space(f:get($standard, 'schemeId')) = '0160'">
        <GTIN><xsl:value-of select="normalize-space(f:get($standard, 'id'))"/></GTIN>
      </xsl:if>
      <xsl:if test="f:has(f:get(., 'unitCode'))"><P_8A><xsl:value-of select="f:unit(normalize-space(f:get(., 'unitCode')))"/></P_8A></xsl:if>
      <P_8B><xsl:value-of select="f:plain(f:dec(f:get(., 'quantity')) * $sign)"/></P_8B>
      <xsl:variable name="base" select="if (f:has(f:get($price, 'baseQuantity'))) then f:dec(f:get($price, 'baseQuantity')) else 1"/>
      <P_9A><xsl:value-of select="f:plain(f:dec(f:get($price, 'netAmount')) div $base)"/></P_9A>
      <P_11><xsl:value-of select="f:amt(f:dec(f:get(., 'netAmount')) * $sign)"/></P_11>
      <P_12><xsl:value-of select="f:rateCode(normalize-space(f:get($vat, 'categoryCode')), f:dec(f:get($vat, 'rate')))"/></P_12>
      <xsl:if test="exists($rate)"><KursWaluty><xsl:value-of select="f:plain($rate)"/></KursWaluty></xsl:if>
    </FaWiersz>
  </xsl:template>

  <!-- BG-16 payment: due date, form (UNTDID 4461), accounts -->
  <xsl:template name="payment">
    <xsl:variable name="doc" select="f:doc(.)"/>
    <xsl:variable name="pi" select="f:get($doc, 'paymentInstructions')"/>
    <xsl:variable name="means" select="normalize-space(f:get($pi, 'meansCode'))"/>
    <xsl:if test="f:has(f:get($doc, 'dueDate')) or exists($pi)">
      <Platnosc>
        <xsl:if test="f:has(f:get($doc, 'dueDate'))">
          <TerminPlatnosci><Termin><xsl:value-of select="normalize-space(f:get($doc, 'dueDate'))"/></Termin></TerminPlatnosci>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="$means = '10'"><FormaPlatnosci>1</FormaPlatnosci></xsl:when>
          <xsl:when test="$means = ('48', '54', '55')"><FormaPlatnosci>2</FormaPlatnosci></xsl:when>
          <xsl:when test="$means = ('30', '31', '42', '58')"><FormaPlatnosci>6</FormaPlatnosci></xsl:when>
          <xsl:when test="$means ne ''">
            <PlatnoscInna>1</PlatnoscInna>
            <OpisPlatnosci><xsl:value-of select="normalize-space((f:get($pi, 'meansText'), 'UNTDID 4461 ' || $means)[f:has(.)][1])"/></OpisPlatnosci>
          </xsl:when>
        </xsl:choose>
        <xsl:for-each select="f:get($pi, 'creditTransfers')/j:map">
          <RachunekBankowy>
            <NrRB><xsl:value-of select="normalize-space(f:get(., 'accountId'))"/></NrRB>
            <xsl:if test="matches(normalize-space(f:get(., 'serviceProviderId')), '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$')">
              <SWIFT><xsl:value-of select="normalize-space(f:get(., 'serviceProviderId'))"/></SWIFT>
            </xsl:if>
          </RachunekBankowy>
        </xsl:for-each>
      </Platnosc>
    </xsl:if>
  </xsl:template>

  <!-- BT-12 contract and BT-13 purchase order: WarunkiTransakcji -->
  <xsl:template name="terms">
    <xsl:variable name="doc" select="f:doc(.)"/>
    <xsl:if test="f:has((f:get($doc, 'contractReference'), f:get($doc, 'purchaseOrderReference')))">
      <WarunkiTransakcji>
        <xsl:if test="f:has(f:get($doc, 'contractReference'))"><Umowy><NrUmowy><xsl:value-of select="normalize-space(f:get($doc, 'contractReference'))"/></NrUmowy></Umowy></xsl:if>
        <xsl:if test="f:has(f:get($doc, 'purchaseOrderReference'))"><Zamowienia><NrZamowienia><xsl:value-of select="normalize-space(f:get($doc, 'purchaseOrderReference'))"/></NrZamowienia></Zamowienia></xsl:if>
      </WarunkiTransakcji>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
