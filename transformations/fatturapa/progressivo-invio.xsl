<?xml version="1.0" encoding="UTF-8"?>
<!--
  progressivo-invio.xsl : writes the SDI progressive of the file name into DatiTrasmissione/ProgressivoInvio of a
  FatturaPA (unified-to-fatturapa.xsl leaves a placeholder there), so the file and its content name each other.
  Everything else is copied unchanged. Input: the FatturaPA; parameter progressivoInvio (1 to 10 characters).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    exclude-result-prefixes="xs">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="progressivoInvio" as="xs:string" required="yes"/>

  <xsl:mode on-no-match="shallow-copy"/>

  <xsl:template match="/*/FatturaElettronicaHeader/DatiTrasmissione/ProgressivoInvio">
    <xsl:copy><xsl:value-of select="$progressivoInvio"/></xsl:copy>
  </xsl:template>

</xsl:stylesheet>
