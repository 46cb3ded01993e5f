package io.einvoicinghub.api;

import io.einvoicinghub.submission.SubmissionRejectedException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Decodes a raw query string; the first value of a repeated parameter wins. */
final class QueryString {

    private QueryString() {
    }

    static Map<String, String> parse(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isBlank()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // a broken percent-escape such as %ZZ: the client's mistake, not the hub's
                throw new SubmissionRejectedException(400, "Invalid query",
                        "The query string has an invalid percent-encoding; encode values as UTF-8 (RFC 3986)");
            }
        }
        return params;
    }
}
