package io.einvoicinghub.processing.action;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A Pending run's next check: up to the jitter fraction early, never late, so runs Pending together spread out. */
class PendingJitterTest {

    @Test
    void waitsAreSpreadOverTheJitterFractionAndNeverLonger() {
        long[] millis = IntStream.range(0, 2000)
                .mapToLong(i -> StepRunner.jittered(Duration.ofSeconds(10), 0.2).toMillis()).toArray();

        long min = java.util.Arrays.stream(millis).min().getAsLong();
        long max = java.util.Arrays.stream(millis).max().getAsLong();
        assertThat(min).as("at most 20 % early, some nearly that").isBetween(8000L, 8200L);
        assertThat(max).as("never late, some nearly on time").isBetween(9800L, 10000L);
        assertThat(java.util.Arrays.stream(millis).distinct().count()).as("not a few fixed offsets").isGreaterThan(1000);
    }

    @Test
    void noJitterKeepsTheActionsWait() {
        assertThat(StepRunner.jittered(Duration.ofMillis(1500), 0)).isEqualTo(Duration.ofMillis(1500));
    }
}
