package io.einvoicinghub.sdi;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SDI's file-naming rules (Specifiche tecniche FatturaPA §2.2, "nomenclatura dei file"): an invoice file is
 * {@code <country><IdCodice>_<progressivo>.xml}, {@code .xml.p7m} when CAdES-signed, {@code .zip} for an archive —
 * ISO 3166-1 alpha-2 country of the transmitter, its tax code (for IT: 11-digit partita IVA or 11/16-character
 * codice fiscale), a unique alphanumeric progressive of at most 5 characters. A message file SDI sends back is
 * named after the invoice file: {@code <name without extension>_<message type>_<progressivo of 3>.xml}.
 */
public final class SdiFileName {

    private static final Pattern INVOICE = Pattern.compile(
            "([A-Z]{2})([A-Za-z0-9]{2,28})_([A-Za-z0-9]{1,5})\\.(xml|xml\\.p7m|zip)", Pattern.CASE_INSENSITIVE);
    private static final Pattern MESSAGE = Pattern.compile("(.+)_(RC|NS|MC|NE|DT|AT|EC|SE|MT)_([A-Za-z0-9]{3})\\.xml");

    private SdiFileName() {
    }

    /** Why {@code name} is not a valid invoice file name, or empty when it is. */
    public static Optional<String> invoiceNameProblem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("the file name is empty");
        }
        if (!name.matches("[a-zA-Z0-9_.]{9,50}")) {
            return Optional.of("'" + name + "' must be 9-50 characters from a-z, A-Z, 0-9, '_' and '.'");
        }
        Matcher m = INVOICE.matcher(name);
        if (!m.matches()) {
            return Optional.of("'" + name + "' is not <country><IdCodice>_<progressive of 1-5 alphanumerics>.xml, .xml.p7m or .zip");
        }
        if (!m.group(1).equals(m.group(1).toUpperCase(Locale.ROOT))) {
            return Optional.of("the country code of '" + name + "' must be upper case");
        }
        if ("IT".equals(m.group(1)) && !m.group(2).matches("\\d{11}|[A-Za-z0-9]{16}")) {
            return Optional.of("'" + m.group(2) + "' in '" + name + "' is neither an Italian partita IVA (11 digits) nor a codice fiscale (16)");
        }
        return Optional.empty();
    }

    public static boolean isSigned(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".p7m");
    }

    /** {@code IT01234567890_00001.xml.p7m} becomes {@code IT01234567890_00001}. */
    public static String base(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[]{".xml.p7m", ".xml", ".zip"}) {
            if (lower.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    /** The name of message {@code type} number {@code progressive} about invoice file {@code invoiceFile}. */
    public static String message(String invoiceFile, String type, int progressive) {
        return base(invoiceFile) + "_" + type + "_" + String.format(Locale.ROOT, "%03d", progressive) + ".xml";
    }

    /** The message type (RC, NS, ...) of a message file name, when it follows the rule. */
    public static Optional<String> messageType(String messageFile) {
        Matcher m = MESSAGE.matcher(messageFile == null ? "" : messageFile);
        return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
    }
}
