package io.einvoicinghub.processing.action;

import java.time.Duration;

/**
 * A step that did not succeed. {@link Transient} failures (timeout, connection reset, 5xx, 408, 429) are
 * retried with backoff up to the step's limit; {@link Permanent} ones (other 4xx, a schema rejection, a
 * missing secret) fail the run at once. Messages are shown to the ERP: they never carry a secret.
 */
public abstract sealed class StepFailure extends Exception permits StepFailure.Transient, StepFailure.Permanent {

    protected StepFailure(String message) {
        super(message, null, false, false);
    }

    public static final class Transient extends StepFailure {
        private final Duration retryAfter;

        public Transient(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Transient(String message) {
            this(message, null);
        }

        /** The other side's own wish (HTTP Retry-After), or null. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }

    public static final class Permanent extends StepFailure {
        public Permanent(String message) {
            super(message);
        }
    }
}
