package io.einvoicinghub.submission;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.api.ApiError;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What JSON can carry but the documents the hub writes cannot: characters outside XML 1.0 (control
 * characters, lone surrogates), numbers no amount or quantity can be (e.g. {@code 1e999999}), and attachment
 * content that is not base64. Found before anything is stored, each with the JSON pointer of its value.
 */
final class SubmissionValueCheck {

    /** More digits before or after the decimal point than any amount, quantity or rate has. */
    static final int MAX_DIGITS = 40;
    private static final int MAX_ERRORS = 50;

    private SubmissionValueCheck() {
    }

    static List<ApiError> check(JsonNode submission) {
        List<ApiError> errors = new ArrayList<>();
        walk(submission, "", false, errors);
        return errors;
    }

    private static void walk(JsonNode node, String pointer, boolean attachment, List<ApiError> errors) {
        if (errors.size() >= MAX_ERRORS) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = pointer + "/" + escape(field.getKey());
                if (!xmlText(field.getKey())) {
                    errors.add(new ApiError(pointer.isEmpty() ? "/" : pointer, "a property name contains a character XML 1.0 cannot carry"));
                    continue;
                }
                if (attachment && field.getKey().equals("content") && field.getValue().isTextual()
                        && !base64(field.getValue().textValue())) {
                    errors.add(new ApiError(child, "must be base64 (RFC 4648) content"));
                }
                walk(field.getValue(), child, field.getKey().equals("attachment"), errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, false, errors);
            }
        } else if (node.isTextual()) {
            int bad = firstNonXmlChar(node.textValue());
            if (bad >= 0) {
                errors.add(new ApiError(pointer, "contains U+" + String.format("%04X", (int) node.textValue().charAt(bad))
                        + " at position " + bad + ", which XML 1.0 cannot carry (control character or lone surrogate)"));
            }
        } else if (node.isNumber() && !reasonable(node)) {
            errors.add(new ApiError(pointer, "must have at most " + MAX_DIGITS + " digits before and after the decimal point"));
        }
    }

    private static boolean reasonable(JsonNode number) {
        if (number.isIntegralNumber()) {
            return number.bigIntegerValue().abs().toString().length() <= MAX_DIGITS;
        }
        BigDecimal value = number.decimalValue();
        return value.scale() <= MAX_DIGITS && value.precision() - value.scale() <= MAX_DIGITS;
    }

    /** Position of the first char outside XML 1.0's Char production, or -1. */
    static int firstNonXmlChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!allowed) {
                return i;
            }
        }
        return -1;
    }

    private static boolean xmlText(String s) {
        return firstNonXmlChar(s) < 0;
    }

    private static boolean base64(String content) {
        String compact = content.replaceAll("\\s", "");
        if (compact.isEmpty() || compact.length() % 4 != 0) {
            return false;
        }
        try {
            Base64.getDecoder().decode(compact);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
