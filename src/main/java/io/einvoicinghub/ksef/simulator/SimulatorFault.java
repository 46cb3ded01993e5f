package io.einvoicinghub.ksef.simulator;

import java.time.Duration;

/**
 * A fault the simulator injects into the next call(s) of one operation, so tests can prove how the hub
 * behaves when KSeF misbehaves.
 *
 * <ul>
 *   <li>{@link #httpStatus(int)}: answer with this status (e.g. 500, 503) without processing the request;</li>
 *   <li>{@link #tooManyRequests(int)}: 429 with {@code Retry-After} seconds, nothing processed;</li>
 *   <li>{@link #slowAnswer(Duration)}: wait, then process and answer normally (a client with a shorter
 *       timeout gives up, although KSeF did the work);</li>
 *   <li>{@link #lostResponse()}: process the request fully, then drop the connection without an answer.</li>
 * </ul>
 */
public record SimulatorFault(Kind kind, int status, Duration delay) {

    public enum Kind { HTTP_STATUS, TOO_MANY_REQUESTS, SLOW_ANSWER, LOST_RESPONSE }

    public static SimulatorFault httpStatus(int status) {
        return new SimulatorFault(Kind.HTTP_STATUS, status, Duration.ZERO);
    }

    public static SimulatorFault tooManyRequests(int retryAfterSeconds) {
        return new SimulatorFault(Kind.TOO_MANY_REQUESTS, 429, Duration.ofSeconds(retryAfterSeconds));
    }

    public static SimulatorFault slowAnswer(Duration delay) {
        return new SimulatorFault(Kind.SLOW_ANSWER, 0, delay);
    }

    public static SimulatorFault lostResponse() {
        return new SimulatorFault(Kind.LOST_RESPONSE, 0, Duration.ZERO);
    }
}
