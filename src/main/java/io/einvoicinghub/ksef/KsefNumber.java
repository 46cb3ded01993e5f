package io.einvoicinghub.ksef;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The KSeF number of an accepted invoice (faktury/numer-ksef.md): {@code NIP-YYYYMMDD-TTTTTTTTTTTT-CC}, 35
 * characters, where T is a 12-digit upper-case hex technical part and CC the CRC-8 (polynomial 0x07, initial
 * value 0x00) of the 32 characters before it, as two upper-case hex digits.
 */
public final class KsefNumber {

    private static final Pattern FORMAT = Pattern.compile("[1-9]((\\d[1-9])|([1-9]\\d))\\d{7}-\\d{8}-[0-9A-F]{12}-[0-9A-F]{2}");

    private KsefNumber() {
    }

    /** @param technical 12 upper-case hex characters */
    public static String of(String sellerNip, String yyyymmdd, String technical) {
        String data = sellerNip + "-" + yyyymmdd + "-" + technical;
        if (data.length() != 32) {
            throw new IllegalArgumentException("KSeF number data part must be 32 characters: " + data);
        }
        return data + "-" + String.format("%02X", crc8(data.getBytes(StandardCharsets.US_ASCII)));
    }

    public static boolean isValid(String ksefNumber) {
        if (ksefNumber == null || ksefNumber.length() != 35 || !FORMAT.matcher(ksefNumber).matches()) {
            return false;
        }
        String data = ksefNumber.substring(0, 32);
        return String.format("%02X", crc8(data.getBytes(StandardCharsets.US_ASCII))).equals(ksefNumber.substring(33));
    }

    static int crc8(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }
}
