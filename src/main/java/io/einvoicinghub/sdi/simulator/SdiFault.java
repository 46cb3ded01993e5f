package io.einvoicinghub.sdi.simulator;

import java.time.Duration;

/**
 * A fault the simulator injects into its next RiceviFile call(s):
 * <ul>
 *   <li>{@link #httpStatus(int)}: answer this status (e.g. 503) without taking the file;</li>
 *   <li>{@link #unavailable()}: answer Errore EI02 without taking the file;</li>
 *   <li>{@link #slowAnswer(Duration)}: take the file, wait, then answer (a client with a shorter time-out gives up
 *       although SDI has the file);</li>
 *   <li>{@link #lostResponse()}: take the file, then close the connection without an answer;</li>
 *   <li>{@link #notifyBeforeAnswer()}: take the file and deliver its first notification before answering.</li>
 * </ul>
 */
public record SdiFault(Kind kind, int status, Duration delay) {

    public enum Kind { HTTP_STATUS, UNAVAILABLE, SLOW_ANSWER, LOST_RESPONSE, NOTIFY_BEFORE_ANSWER }

    public static SdiFault httpStatus(int status) {
        return new SdiFault(Kind.HTTP_STATUS, status, Duration.ZERO);
    }

    public static SdiFault unavailable() {
        return new SdiFault(Kind.UNAVAILABLE, 0, Duration.ZERO);
    }

    public static SdiFault slowAnswer(Duration delay) {
        return new SdiFault(Kind.SLOW_ANSWER, 0, delay);
    }

    public static SdiFault lostResponse() {
        return new SdiFault(Kind.LOST_RESPONSE, 0, Duration.ZERO);
    }

    public static SdiFault notifyBeforeAnswer() {
        return new SdiFault(Kind.NOTIFY_BEFORE_ANSWER, 0, Duration.ZERO);
    }
}
