package io.einvoicinghub.processing.action;

import java.time.Duration;

/** How a step ended: done (the run goes on) or waiting (the run becomes Pending and the worker is released). */
public record StepResult(boolean waiting, Duration nextCheck, String message, boolean notEarlier) {

    private static final StepResult DONE = new StepResult(false, null, null, false);

    public static StepResult done() {
        return DONE;
    }

    /** Look again after {@code nextCheck}; {@code message} is shown as the submission's status message. */
    public static StepResult waitFor(Duration nextCheck, String message) {
        return new StepResult(true, nextCheck, message, false);
    }

    /** Look again after {@code nextCheck} and not a moment before (no jitter): the other side said when (Retry-After). */
    public static StepResult waitAtLeast(Duration nextCheck, String message) {
        return new StepResult(true, nextCheck, message, true);
    }
}
