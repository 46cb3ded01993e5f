package io.einvoicinghub.security;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do: submit (and resubmit, cancel), read, or administer the hub (management endpoints). */
public enum Scope {
    SUBMIT, READ, ADMIN;

    /** The Spring Security authority, as resource servers name scopes. */
    public String authority() {
        return "SCOPE_" + name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String value) {
        for (Scope s : values()) {
            if (s.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
