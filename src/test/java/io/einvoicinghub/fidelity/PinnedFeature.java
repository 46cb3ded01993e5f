package io.einvoicinghub.fidelity;

import java.util.List;

/**
 * The installed outbound features as this test suite expects them, written down here rather than read from
 * the hub: a feature wired to another stylesheet or rule set than the one it promises fails the tests.
 *
 * @param syntax            UBL or CII: which business-term paths of {@code business-terms.json} apply
 * @param stylesheet        path under {@code transformations/}
 * @param specParameter     stylesheet parameter that takes BT-24
 * @param specification     the BT-24 value the feature writes
 */
public record PinnedFeature(String id, String syntax, String stylesheet, String specParameter, String specification,
                            String invoiceRuleSet, String creditNoteRuleSet) {

    static final String XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0";

    public static final PinnedFeature PEPPOL_BIS_UBL = new PinnedFeature("peppol-bis-ubl", "UBL", "ubl/unified-to-ubl.xsl",
            "customizationId", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
            "eu.peppol.bis3:invoice:2026.5", "eu.peppol.bis3:creditnote:2026.5");
    public static final PinnedFeature XRECHNUNG_UBL = new PinnedFeature("xrechnung-ubl", "UBL", "ubl/unified-to-ubl.xsl",
            "customizationId", XRECHNUNG, "de.xrechnung:ubl-invoice:3.0.2", "de.xrechnung:ubl-creditnote:3.0.2");
    public static final PinnedFeature XRECHNUNG_CII = new PinnedFeature("xrechnung-cii", "CII", "cii/unified-to-cii.xsl",
            "guidelineId", XRECHNUNG, "de.xrechnung:cii:3.0.2", "de.xrechnung:cii:3.0.2");
    public static final PinnedFeature EN16931_CII = new PinnedFeature("en16931-cii", "CII", "cii/unified-to-cii.xsl",
            "guidelineId", "urn:cen.eu:en16931:2017", "eu.cen.en16931:cii:1.3.16", "eu.cen.en16931:cii:1.3.16");

    public static final List<PinnedFeature> ALL = List.of(PEPPOL_BIS_UBL, XRECHNUNG_UBL, XRECHNUNG_CII, EN16931_CII);

    /** France (Flux 2): EN 16931 + BR-FR; run over samples/france, whose parties carry SIREN, SIRET and PA addresses. */
    public static final PinnedFeature FR_UBL = new PinnedFeature("fr-ubl", "UBL", "ubl/unified-to-ubl.xsl",
            "customizationId", "urn:cen.eu:en16931:2017", "fr.ctc:ubl-invoice:1.3", "fr.ctc:ubl-creditnote:1.3");
    public static final PinnedFeature FR_CII = new PinnedFeature("fr-cii", "CII", "cii/unified-to-cii.xsl",
            "guidelineId", "urn:cen.eu:en16931:2017", "fr.ctc:cii:1.3", "fr.ctc:cii:1.3");

    public static final List<PinnedFeature> FRANCE = List.of(FR_UBL, FR_CII);

    public String ruleSet(String documentType) {
        return "CreditNote".equals(documentType) ? creditNoteRuleSet : invoiceRuleSet;
    }

    public boolean isUbl() {
        return "UBL".equals(syntax);
    }

    public static PinnedFeature byId(String id) {
        return java.util.stream.Stream.concat(ALL.stream(), FRANCE.stream()).filter(f -> f.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pinned feature " + id));
    }

    @Override
    public String toString() {
        return id;
    }
}
