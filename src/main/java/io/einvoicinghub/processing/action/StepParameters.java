package io.einvoicinghub.processing.action;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked parameters of one step, with defaults applied. Values may refer to run variables as
 * {@code ${name}} (and to {@code ${submissionId}}, {@code ${run}}, {@code ${legalEntity}}, ...); they are
 * resolved when the step runs, from the run's checkpointed variables.
 */
public final class StepParameters {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private final ActionSpec spec;
    private final Map<String, String> values;
    private final UnaryOperator<String> variables;

    StepParameters(ActionSpec spec, Map<String, String> values, UnaryOperator<String> variables) {
        this.spec = spec;
        this.values = values;
        this.variables = variables;
    }

    /** Checks raw parameters against the declaration; the message names every problem. */
    public static Map<String, String> check(ActionSpec spec, Map<String, String> raw, String where) {
        StringBuilder problems = new StringBuilder();
        for (String name : raw.keySet()) {
            Optional<ParameterSpec> declared = spec.parameter(name);
            if (declared.isEmpty()) {
                problems.append("; unknown parameter '").append(name).append("' (")
                        .append(spec.allParameters().stream().map(p -> p.prefix() ? p.name() + "*" : p.name()).toList())
                        .append(")");
                continue;
            }
            String value = raw.get(name);
            if (!value.contains("${")) {
                String why = declared.get().check(value);
                if (why != null) {
                    problems.append("; parameter '").append(name).append("' ").append(why);
                }
            }
        }
        for (ParameterSpec p : spec.allParameters()) {
            if (p.required() && !p.prefix() && (raw.get(p.name()) == null || raw.get(p.name()).isBlank())) {
                problems.append("; missing required parameter '").append(p.name()).append("' (").append(p.description()).append(")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Action '" + spec.name() + "' " + where + ": " + problems.substring(2));
        }
        return Map.copyOf(raw);
    }

    public StepParameters withVariables(UnaryOperator<String> lookup) {
        return new StepParameters(spec, values, lookup);
    }

    public static StepParameters of(ActionSpec spec, Map<String, String> values) {
        return new StepParameters(spec, values, name -> null);
    }

    /** Raw value or the declared default, variables resolved; empty when neither is set. */
    public Optional<String> get(String name) {
        String value = values.get(name);
        if (value == null) {
            value = spec.parameter(name).map(ParameterSpec::defaultValue).orElse(null);
        }
        return Optional.ofNullable(value).map(this::resolve);
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("Parameter '" + name + "' of action '"
                + spec.name() + "' is not set"));
    }

    public String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public int getInt(String name, int fallback) {
        return get(name).map(Integer::parseInt).orElse(fallback);
    }

    public boolean getBoolean(String name, boolean fallback) {
        return get(name).map(Boolean::parseBoolean).orElse(fallback);
    }

    public Duration getDuration(String name, Duration fallback) {
        return get(name).map(ParameterSpec::parseDuration).orElse(fallback);
    }

    public List<String> getList(String name) {
        return get(name).map(v -> List.of(v.split("\\s*,\\s*"))).orElse(List.of());
    }

    /** The members of a family, e.g. {@code header.} → {X-Api-Version: 2}; names without the prefix. */
    public Map<String, String> family(String prefix) {
        Map<String, String> family = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                family.put(name.substring(prefix.length()), resolve(value));
            }
        });
        return family;
    }

    /** The values as declared (unresolved): what the API shows. */
    public Map<String, String> declared() {
        return values;
    }

    private String resolve(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = variables.apply(m.group(1));
            if (resolved == null) {
                throw new IllegalStateException("Variable '" + m.group(1) + "' is not set in this run (used by action '"
                        + spec.name() + "')");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
