package io.einvoicinghub.processing.action;

/**
 * A named step of the catalogue ("transform", "validate", "call-http", ...). A feature's route uses it as
 * {@code to: action:<name>?<parameters>} inside a {@code step}; the parameters are checked against
 * {@link #spec()} when the route starts, so a wrong feature stops the hub with the reason.
 */
public interface Action {

    ActionSpec spec();

    /** Does the step's work once (the engine retries, checkpoints and skips completed steps). */
    StepResult run(StepContext step) throws Exception;
}
