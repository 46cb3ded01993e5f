package io.einvoicinghub.processing.action;

import java.time.Duration;
import java.util.List;

/**
 * One declared parameter of an action. A {@code SECRET} parameter holds the <em>name</em> of an entry in the
 * secret store, never a value, a {@code CERTIFICATE} one the name of a certificate (keystore alias or PKCS#12
 * secret); a {@code prefix} parameter is a family ({@code header.X-Api-Version},
 * {@code output.ksefNumber}).
 */
public record ParameterSpec(String name, Type type, boolean required, String defaultValue, String description,
                            boolean prefix, List<String> allowed) {

    public enum Type {
        STRING("string"), INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean"), DURATION("string"),
        SECRET("string"),
        /** The name of a certificate (with or without private key): a local keystore alias or a base64 PKCS#12 secret. */
        CERTIFICATE("string"), MAP("object");

        public final String jsonType;

        Type(String jsonType) {
            this.jsonType = jsonType;
        }
    }

    public static ParameterSpec required(String name, Type type, String description) {
        return new ParameterSpec(name, type, true, null, description, false, List.of());
    }

    public static ParameterSpec optional(String name, Type type, String defaultValue, String description) {
        return new ParameterSpec(name, type, false, defaultValue, description, false, List.of());
    }

    public static ParameterSpec oneOf(String name, String defaultValue, String description, String... allowed) {
        return new ParameterSpec(name, Type.STRING, defaultValue == null, defaultValue, description, false, List.of(allowed));
    }

    /** A family of parameters sharing a prefix, e.g. {@code header.} */
    public static ParameterSpec family(String prefix, String description) {
        return new ParameterSpec(prefix, Type.MAP, false, null, description, true, List.of());
    }

    /** @return null when {@code value} fits this declaration, otherwise why not */
    public String check(String value) {
        try {
            switch (type) {
                case INTEGER -> Long.parseLong(value);
                case NUMBER -> Double.parseDouble(value);
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return "must be true or false";
                    }
                }
                case DURATION -> parseDuration(value);
                default -> {
                }
            }
        } catch (RuntimeException e) {
            return "must be " + (type == Type.DURATION ? "a duration such as 500ms, 2s, 5m or PT2S" : "a " + type.jsonType);
        }
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            return "must be one of " + allowed;
        }
        return null;
    }

    /** Durations as ISO-8601 ({@code PT2S}) or short forms: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    public static Duration parseDuration(String value) {
        String v = value.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException(value);
        };
    }
}
