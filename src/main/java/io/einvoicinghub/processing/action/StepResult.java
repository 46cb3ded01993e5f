package io.einvoicinghub.processing.action;

import java.time.Duration;

/** How a step ended: done (the run goes on) or waiting (the run becomes Pending and the worker is released). */
public record StepResult(boolean waiting, Duration nextCheck, String message) {

    private static final StepResult DONE = new StepResult(false, null, null);

    public static StepResult done() {
        return DONE;
    }

    /** Look again after {@code nextCheck}; {@code message} is shown as the submission's status message. */
    public static StepResult waitFor(Duration nextCheck, String message) {
        return new StepResult(true, nextCheck, message);
    }
}
