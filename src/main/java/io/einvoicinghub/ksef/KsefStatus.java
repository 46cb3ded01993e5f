package io.einvoicinghub.ksef;

import java.util.List;
import java.util.Map;

/**
 * A status object as KSeF returns it for authentication operations, sessions and invoices
 * ({@code StatusInfo} / {@code InvoiceStatusInfo}): a numeric code, its description, details and, for
 * invoices, extensions such as {@code originalKsefNumber} of a duplicate.
 */
public record KsefStatus(int code, String description, List<String> details, Map<String, String> extensions) {

    public KsefStatus {
        details = details == null ? List.of() : List.copyOf(details);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static KsefStatus of(int code, String description, String... details) {
        return new KsefStatus(code, description, List.of(details), Map.of());
    }

    @Override
    public String toString() {
        return code + " " + description + (details.isEmpty() ? "" : " " + details);
    }
}
