package io.einvoicinghub.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/**
 * What operators watch (at {@code /actuator/metrics}): {@code hub.submissions.finished} by feature and status,
 * and {@code hub.feature.step} durations by feature, step and outcome.
 */
@Component
public class ProcessingMetrics {

    private final MeterRegistry registry;

    public ProcessingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void finished(String featureId, String status) {
        Counter.builder("hub.submissions.finished").description("Submission runs that reached a final or Pending status")
                .tag("feature", featureId == null ? "none" : featureId).tag("status", status)
                .register(registry).increment();
    }

    public void step(String featureId, String step, String outcome, long nanos) {
        Timer.builder("hub.feature.step").description("Duration of one step of a feature's pipeline")
                .tag("feature", featureId == null ? "none" : featureId).tag("step", step).tag("outcome", outcome)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
