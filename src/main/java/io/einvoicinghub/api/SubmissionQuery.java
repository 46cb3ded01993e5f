package io.einvoicinghub.api;

import io.einvoicinghub.submission.SubmissionFilter;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.Verdict;
import org.apache.camel.Exchange;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** Reads the list filter of {@code GET /submissions} (and of the counts beside it) from the query string. */
final class SubmissionQuery {

    private SubmissionQuery() {
    }

    /** @param visibleLegalEntities the caller's legal entities, null for all */
    static SubmissionFilter filter(Exchange exchange, Set<String> visibleLegalEntities) {
        // filters come from the query string only, never from same-named request headers
        Map<String, String> query = QueryString.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        return new SubmissionFilter(blankToNull(query.get("legalEntity")),
                named(SubmissionStatus.class, query.get("status"), "status"), blankToNull(query.get("erpDocumentId")),
                time(query.get("createdFrom"), "createdFrom"),
                time(query.get("createdTo"), "createdTo"),
                bounded(query.get("limit"), 50, 1, 500, "limit"),
                bounded(query.get("offset"), 0, 0, Integer.MAX_VALUE, "offset"), visibleLegalEntities,
                named(Verdict.class, query.get("verdict"), "verdict"), blankToNull(query.get("feature")));
    }

    static <E extends Enum<E>> E named(Class<E> type, String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Arrays.stream(type.getEnumConstants()).filter(s -> s.name().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new SubmissionRejectedException(400, "Invalid query", "Unknown " + name + " '"
                        + value.replaceAll("[^\\x20-\\x7E]", "?") + "'; use one of " + Arrays.toString(type.getEnumConstants())));
    }

    static OffsetDateTime time(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new SubmissionRejectedException(400, "Invalid query", name + " must be an ISO-8601 date-time with offset, e.g. 2026-11-26T00:00:00Z");
        }
    }

    static int bounded(String value, int fallback, int min, int max, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SubmissionRejectedException(400, "Invalid query", name + " must be a whole number from " + min + " to " + max);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
