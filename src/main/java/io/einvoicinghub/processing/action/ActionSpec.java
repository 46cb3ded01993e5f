package io.einvoicinghub.processing.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an action is and the parameters it takes, declared the way a Kamelet declares its properties.
 *
 * @param externalEffect the action changes something outside the hub (sends to an authority): after a crash
 *                       in the middle of it, its outcome is unknown and it must reconcile, not blindly repeat
 */
public record ActionSpec(String name, String description, boolean externalEffect, List<ParameterSpec> parameters) {

    /** Parameters every action takes: its retry settings and the step to restart from. */
    public static final List<ParameterSpec> COMMON = List.of(
            ParameterSpec.optional("retries", ParameterSpec.Type.INTEGER, null,
                    "attempts after the first when the step fails transiently (timeout, reset, 5xx, 429); action default"),
            ParameterSpec.optional("backoff", ParameterSpec.Type.DURATION, "PT1S",
                    "wait before the first retry; doubled for each further one, with jitter"),
            ParameterSpec.optional("maxBackoff", ParameterSpec.Type.DURATION, "PT30S", "longest wait between two attempts"),
            ParameterSpec.optional("restartFrom", ParameterSpec.Type.STRING, null,
                    "when the retries are used up, run again from this earlier step (e.g. open a new session)"),
            ParameterSpec.optional("maxRestarts", ParameterSpec.Type.INTEGER, "1", "how often restartFrom may be used per run"));

    public static Builder of(String name, String description) {
        return new Builder(name, description);
    }

    public List<ParameterSpec> allParameters() {
        List<ParameterSpec> all = new ArrayList<>(parameters);
        all.addAll(COMMON);
        return all;
    }

    /** The declaration a parameter name falls under: its own, or a prefix family such as {@code header.*}. */
    public Optional<ParameterSpec> parameter(String name) {
        for (ParameterSpec p : allParameters()) {
            if (p.prefix() ? name.startsWith(p.name()) && name.length() > p.name().length() : p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static final class Builder {
        private final String name;
        private final String description;
        private boolean externalEffect;
        private final List<ParameterSpec> parameters = new ArrayList<>();

        private Builder(String name, String description) {
            this.name = name;
            this.description = description;
        }

        public Builder externalEffect() {
            this.externalEffect = true;
            return this;
        }

        public Builder parameter(ParameterSpec parameter) {
            parameters.add(parameter);
            return this;
        }

        public ActionSpec build() {
            return new ActionSpec(name, description, externalEffect, List.copyOf(parameters));
        }
    }
}
