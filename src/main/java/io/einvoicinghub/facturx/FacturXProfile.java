package io.einvoicinghub.facturx;

import java.util.Arrays;

/**
 * The Factur-X 1.0 / ZUGFeRD 2.x profiles the hub produces, by the name a feature gives, with the name Mustang
 * knows them by. XRECHNUNG is ZUGFeRD's XRechnung profile (embedded as {@code xrechnung.xml}).
 */
public enum FacturXProfile {
    BASIC("BASIC"), BASICWL("BASICWL"), EN16931("EN16931"), EXTENDED("EXTENDED"), XRECHNUNG("XRECHNUNG");

    final String mustangName;

    FacturXProfile(String mustangName) {
        this.mustangName = mustangName;
    }

    public static String[] names() {
        return Arrays.stream(values()).map(Enum::name).toArray(String[]::new);
    }
}
