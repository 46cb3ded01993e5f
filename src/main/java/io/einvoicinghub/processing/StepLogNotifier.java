package io.einvoicinghub.processing;

import io.einvoicinghub.processing.action.StepRunner;
import io.einvoicinghub.submission.SubmissionRepository;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
        String skippedKey = "hubStepSkipped." + name;
        if (event instanceof CamelEvent.StepStartedEvent) {
            // a step done before this pass (checkpointed), or after the run stopped, leaves no new line
            boolean skipped = StepRunner.skips(exchange, name);
            exchange.setProperty(skippedKey, skipped);
            exchange.removeProperty(loggedKey(name));
            if (!skipped) {
                exchange.setProperty(startedKey, System.nanoTime());
                RunContext context = exchange.getProperty(RunContext.PROPERTY, RunContext.class);
                if (context == null || (context.state().waiting != null && name.equals(context.state().waiting.step()))) {
                    flushDeferred(context);
                    repository.stepStarted(id, run, name); // a step the run waits in continues its Pending line
                } else {
                    // the line is written with the step's checkpoint (StepRunner), or below: no commit of its own
                    exchange.setProperty(deferredKey(name), OffsetDateTime.now(ZoneOffset.UTC));
                }
            }
            return;
        }
        if (Boolean.TRUE.equals(exchange.getProperty(skippedKey))) {
            return;
        }
        RunContext context = exchange.getProperty(RunContext.PROPERTY, RunContext.class);
        boolean waiting = context != null && context.stop() == RunContext.Stop.SUSPENDED && context.state().waiting != null
                && name.equals(context.state().waiting.step());
        String outcome = waiting ? "Pending" : event instanceof CamelEvent.StepCompletedEvent ? "Succeeded" : "Failed";
        Throwable cause = exchange.getException();
        String message = waiting ? context.state().waiting.message()
                : "Failed".equals(outcome) && cause != null ? cause.getMessage() : null;
        OffsetDateTime deferredStart = (OffsetDateTime) exchange.removeProperty(deferredKey(name));
        if (Boolean.TRUE.equals(exchange.getProperty(loggedKey(name)))) {
            if ("Failed".equals(outcome)) {
                flushDeferred(context);
                repository.stepFailedAfterCheckpoint(id, run, name, message);
            } // else the step's checkpoint wrote the line as Succeeded (or keeps it for the run's next transaction)
        } else if (deferredStart != null) {
            flushDeferred(context);
            repository.stepLine(id, run, name, outcome, message, deferredStart);
        } else {
            flushDeferred(context);
            repository.stepFinished(id, run, name, outcome, message);
        }
        Long started = exchange.getProperty(startedKey, Long.class);
        if (started != null) {
            metrics.step(exchange.getProperty(RunProperties.FEATURE_ID, String.class), name, outcome, System.nanoTime() - started);
        }
    }

    /** Rows of earlier steps still waiting for the run's next transaction are written first: the log keeps its order. */
    private void flushDeferred(RunContext context) {
        if (context != null) {
            context.writeDeferred(repository::inTransaction);
        }
    }

    /**
     * The exchange property holding the start of a step whose log line is not written yet; the first write that
     * concerns the step (its checkpoint, a retry line, the end of the step) writes it.
     */
    public static String deferredKey(String step) {
        return "hubStepLineDeferred." + step;
    }

    /** The exchange property that says the step's own checkpoint has already written its log line as Succeeded. */
    public static String loggedKey(String step) {
        return "hubStepLogged." + step;
    }

    /** Route templates prefix node ids with the feature id ("xrechnung-ubl.transform"); the log shows "transform". */
    public static String stepName(String stepId) {
        int dot = stepId.lastIndexOf('.');
        return dot >= 0 ? stepId.substring(dot + 1) : stepId;
    }
}
