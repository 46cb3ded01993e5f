package io.einvoicinghub.inbound;

import io.einvoicinghub.fidelity.PinnedFeature;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The invoice the inbound benchmark sends (bench/inbound.sh): a bundled sample as the Peppol BIS feature writes it. */
public final class InboundBenchSupport {

    /** The sample's invoice number (BT-1), replaced by a unique one per copy. */
    public static final String NUMBER = "INV-2026-0113";
    private static final Pattern ID = Pattern.compile("<cbc:ID>([^<]+)</cbc:ID>");

    private InboundBenchSupport() {
    }

    public static byte[] invoice() {
        return InboundTestBed.rendered("13-prepaid-amount.json", PinnedFeature.PEPPOL_BIS_UBL);
    }

    /** The first cbc:ID of a copy: its invoice number. */
    public static String number(byte[] invoice) {
        Matcher m = ID.matcher(new String(invoice, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalArgumentException("no cbc:ID");
        }
        return m.group(1);
    }
}
