package io.einvoicinghub.inbound;

/**
 * The formats the inbound intake recognises. Those with a rule set are validated with the official rules (the
 * outbound features' engine, {@link io.einvoicinghub.validation.OfficialRulesValidator}) and converted to the unified
 * model; the others are recognised, kept, and failed with a reason that says what is missing.
 */
public enum InboundFormat {
    PEPPOL_BIS3_UBL("Peppol BIS Billing 3.0 (UBL)", "eu.peppol.bis3:invoice:latest", "eu.peppol.bis3:creditnote:latest"),
    XRECHNUNG_UBL("XRechnung (UBL)", "de.xrechnung:ubl-invoice:latest", "de.xrechnung:ubl-creditnote:latest"),
    EN16931_UBL("EN 16931 (UBL)", "eu.cen.en16931:ubl:latest", "eu.cen.en16931:ubl-creditnote:latest"),
    XRECHNUNG_CII("XRechnung (CII)", "de.xrechnung:cii:latest", "de.xrechnung:cii:latest"),
    /** Also the XML of Factur-X / ZUGFeRD 2 profile EN 16931 (COMFORT), which carries the same guideline id. */
    EN16931_CII("EN 16931 (CII; Factur-X/ZUGFeRD profile EN 16931)", "eu.cen.en16931:cii:latest", "eu.cen.en16931:cii:latest"),
    FACTURX_BASIC_CII("Factur-X/ZUGFeRD BASIC (CII)", "eu.cen.en16931:cii:latest", "eu.cen.en16931:cii:latest"),
    FACTURX_EXTENDED_CII("Factur-X/ZUGFeRD EXTENDED (CII)", "eu.cen.en16931:cii:latest", "eu.cen.en16931:cii:latest"),
    FACTURX_MINIMUM_CII("Factur-X/ZUGFeRD MINIMUM (CII)", null, null),
    FACTURX_BASIC_WL_CII("Factur-X/ZUGFeRD BASIC WL (CII)", null, null),
    UBL_OTHER("UBL 2.1 with another CustomizationID", null, null),
    CII_OTHER("CII D16B with another guideline", null, null),
    /** A PDF without an embedded invoice XML (a hybrid PDF is detected as the format of the XML it carries). */
    FACTURX_PDF("PDF without an embedded invoice XML", null, null),
    ZIP_ARCHIVE("zip archive (each entry a receipt of its own)", null, null),
    /** Validated against its official XSD, identifiers read, not converted (see {@link #convertible()}). */
    FATTURAPA("FatturaPA", "it.fatturapa:invoice:latest", "it.fatturapa:invoice:latest"),
    CFDI_40("CFDI 4.0", null, null),
    /** Poland's structured invoice (KSeF FA(3)): checked against the Ministry's XSD, offered as the original. */
    KSEF_FA3("KSeF FA(3)", null, null),
    UNKNOWN("unknown", null, null);

    private final String label;
    private final String invoiceRuleSet;
    private final String creditNoteRuleSet;

    InboundFormat(String label, String invoiceRuleSet, String creditNoteRuleSet) {
        this.label = label;
        this.invoiceRuleSet = invoiceRuleSet;
        this.creditNoteRuleSet = creditNoteRuleSet;
    }

    public String label() {
        return label;
    }

    /** True when the hub validates and converts this format today. */
    public boolean convertible() {
        return invoiceRuleSet != null && this != FATTURAPA;
    }

    /** The official rule set ("group:artifact:latest": the newest release registered) for the document type. */
    public String ruleSet(String documentType) {
        return "CreditNote".equals(documentType) ? creditNoteRuleSet : invoiceRuleSet;
    }
}
