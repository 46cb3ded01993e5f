<?xml version="1.0" encoding="UTF-8"?>
<!--
  An invoice life-cycle status as a French CDAR message: UN/CEFACT Cross Domain Acknowledgement and Response D22B
  as profiled by the French e-invoicing specifications ("CDV", guideline urn.cpro.gouv.fr:1p0:CDV:invoice).

  Input: the status message the hub prepared (io.einvoicinghub.cdar.CdarWriter), in the fn:json-to-xml
  representation: messageId, messageName, issuedAt, phase (MDT-77: 305 transmission, 23 processing), sender,
  issuer, recipients[], statusAt, invoice {number, issueDate, typeCode, seller}, status {code, label}, reason
  {code, text}, amount {value, currency}. Dates arrive formatted (204 = CCYYMMDDHHMMSS, 102 = CCYYMMDD).
  Checked by the BR-FR-CDV Schematron and the CDAR XSD of phive-rules-france (docs/cdar.md).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:fn="http://www.w3.org/2005/xpath-functions"
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
    exclude-result-prefixes="xs fn">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/fn:map">
    <rsm:CrossDomainAcknowledgementAndResponse>
      <rsm:ExchangedDocumentContext>
        <ram:BusinessProcessSpecifiedDocumentContextParameter>
          <ram:ID>REGULATED</ram:ID>
        </ram:BusinessProcessSpecifiedDocumentContextParameter>
        <ram:GuidelineSpecifiedDocumentContextParameter>
          <ram:ID>urn.cpro.gouv.fr:1p0:CDV:invoice</ram:ID>
        </ram:GuidelineSpecifiedDocumentContextParameter>
      </rsm:ExchangedDocumentContext>
      <rsm:ExchangedDocument>
        <ram:ID><xsl:value-of select="fn:string[@key='messageId']"/></ram:ID>
        <xsl:if test="fn:string[@key='messageName']">
          <ram:Name><xsl:value-of select="fn:string[@key='messageName']"/></ram:Name>
        </xsl:if>
        <ram:IssueDateTime>
          <udt:DateTimeString format="204"><xsl:value-of select="fn:string[@key='issuedAt']"/></udt:DateTimeString>
        </ram:IssueDateTime>
        <xsl:apply-templates select="fn:map[@key='sender']" mode="party"><xsl:with-param name="element" select="'ram:SenderTradeParty'"/></xsl:apply-templates>
        <xsl:apply-templates select="fn:map[@key='issuer']" mode="party"><xsl:with-param name="element" select="'ram:IssuerTradeParty'"/></xsl:apply-templates>
        <xsl:apply-templates select="fn:array[@key='recipients']/fn:map" mode="party"><xsl:with-param name="element" select="'ram:RecipientTradeParty'"/></xsl:apply-templates>
      </rsm:ExchangedDocument>
      <rsm:AcknowledgementDocument>
        <ram:MultipleReferencesIndicator><udt:Indicator>false</udt:Indicator></ram:MultipleReferencesIndicator>
        <ram:TypeCode><xsl:value-of select="fn:string[@key='phase']"/></ram:TypeCode>
        <ram:IssueDateTime>
          <udt:DateTimeString format="204"><xsl:value-of select="fn:string[@key='statusAt']"/></udt:DateTimeString>
        </ram:IssueDateTime>
        <xsl:apply-templates select="fn:map[@key='invoice']"/>
      </rsm:AcknowledgementDocument>
    </rsm:CrossDomainAcknowledgementAndResponse>
  </xsl:template>

  <!-- the invoice the status is about, with the status itself (MDT-87 .. MDT-207) -->
  <xsl:template match="fn:map[@key='invoice']">
    <xsl:variable name="message" select=".."/>
    <ram:ReferenceReferencedDocument>
      <ram:IssuerAssignedID><xsl:value-of select="fn:string[@key='number']"/></ram:IssuerAssignedID>
      <xsl:if test="fn:string[@key='typeCode']">
        <ram:TypeCode><xsl:value-of select="fn:string[@key='typeCode']"/></ram:TypeCode>
      </xsl:if>
      <ram:FormattedIssueDateTime>
        <qdt:DateTimeString format="102"><xsl:value-of select="fn:string[@key='issueDate']"/></qdt:DateTimeString>
      </ram:FormattedIssueDateTime>
      <ram:ProcessConditionCode><xsl:value-of select="$message/fn:map[@key='status']/fn:string[@key='code']"/></ram:ProcessConditionCode>
      <ram:ProcessCondition><xsl:value-of select="$message/fn:map[@key='status']/fn:string[@key='label']"/></ram:ProcessCondition>
      <xsl:apply-templates select="fn:map[@key='seller']" mode="party"><xsl:with-param name="element" select="'ram:IssuerTradeParty'"/></xsl:apply-templates>
      <xsl:if test="$message/fn:map[@key='reason'] or $message/fn:map[@key='amount']">
        <ram:SpecifiedDocumentStatus>
          <xsl:for-each select="$message/fn:map[@key='reason']">
            <xsl:if test="fn:string[@key='code']">
              <ram:ReasonCode><xsl:value-of select="fn:string[@key='code']"/></ram:ReasonCode>
            </xsl:if>
            <xsl:if test="fn:string[@key='text']">
              <ram:Reason><xsl:value-of select="fn:string[@key='text']"/></ram:Reason>
            </xsl:if>
          </xsl:for-each>
          <ram:SequenceNumeric>1</ram:SequenceNumeric>
          <xsl:for-each select="$message/fn:map[@key='amount']">
            <!-- MEN: the amount received (Encaissée) or sent (Paiement transmis), VAT included -->
            <ram:SpecifiedDocumentCharacteristic>
              <ram:TypeCode>MEN</ram:TypeCode>
              <ram:ValueAmount currencyID="{fn:string[@key='currency']}"><xsl:value-of select="fn:string[@key='value']"/></ram:ValueAmount>
            </ram:SpecifiedDocumentCharacteristic>
          </xsl:for-each>
        </ram:SpecifiedDocumentStatus>
      </xsl:if>
    </ram:ReferenceReferencedDocument>
  </xsl:template>

  <!-- a trade party: global id with its ICD scheme (0002 SIREN, 0238 PPF), name, role, electronic address -->
  <xsl:template match="fn:map" mode="party">
    <xsl:param name="element" as="xs:string"/>
    <xsl:element name="{$element}">
      <xsl:if test="fn:string[@key='id']">
        <ram:GlobalID>
          <xsl:if test="fn:string[@key='scheme']"><xsl:attribute name="schemeID" select="fn:string[@key='scheme']"/></xsl:if>
          <xsl:value-of select="fn:string[@key='id']"/>
        </ram:GlobalID>
      </xsl:if>
      <xsl:if test="fn:string[@key='name']">
        <ram:Name><xsl:value-of select="fn:string[@key='name']"/></ram:Name>
      </xsl:if>
      <ram:RoleCode><xsl:value-of select="fn:string[@key='role']"/></ram:RoleCode>
      <xsl:if test="fn:string[@key='uri']">
        <ram:URIUniversalCommunication>
          <ram:URIID>
            <xsl:if test="fn:string[@key='uriScheme']"><xsl:attribute name="schemeID" select="fn:string[@key='uriScheme']"/></xsl:if>
            <xsl:value-of select="fn:string[@key='uri']"/>
          </ram:URIID>
        </ram:URIUniversalCommunication>
      </xsl:if>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>
