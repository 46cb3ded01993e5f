package io.einvoicinghub.processing;

import io.einvoicinghub.submission.SubmissionRepository;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * Turns every {@code step} of a feature route into a line of the submission's log (name, status, time,
 * message), so a route's YAML and the log the ERP reads name the same steps.
 */
@Component
public class StepLogNotifier extends EventNotifierSupport {

    private final SubmissionRepository repository;
    private final ProcessingMetrics metrics;

    public StepLogNotifier(SubmissionRepository repository, ProcessingMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
        setIgnoreStepEvents(false);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.StepEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.StepEvent step = (CamelEvent.StepEvent) event;
        Exchange exchange = step.getExchange();
        String id = exchange.getProperty(RunProperties.SUBMISSION_ID, String.class);
        Integer run = exchange.getProperty(RunProperties.RUN, Integer.class);
        if (id == null || run == null) {
            return;
        }
        String name = stepName(step.getStepId());
        String startedKey = "hubStepStarted." + name;
        if (event instanceof CamelEvent.StepStartedEvent) {
            exchange.setProperty(startedKey, System.nanoTime());
            repository.stepStarted(id, run, name);
            return;
        }
        String outcome = event instanceof CamelEvent.StepCompletedEvent ? "Succeeded" : "Failed";
        Throwable cause = exchange.getException();
        repository.stepFinished(id, run, name, outcome, "Failed".equals(outcome) && cause != null ? cause.getMessage() : null);
        Long started = exchange.getProperty(startedKey, Long.class);
        if (started != null) {
            metrics.step(exchange.getProperty(RunProperties.FEATURE_ID, String.class), name, outcome, System.nanoTime() - started);
        }
    }

    /** Route templates prefix node ids with the feature id ("xrechnung-ubl.transform"); the log shows "transform". */
    static String stepName(String stepId) {
        int dot = stepId.lastIndexOf('.');
        return dot >= 0 ? stepId.substring(dot + 1) : stepId;
    }
}
