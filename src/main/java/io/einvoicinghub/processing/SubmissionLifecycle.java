package io.einvoicinghub.processing;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.feature.FeatureRegistry;
import io.einvoicinghub.processing.action.StepRunner;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.storage.StorageLayout;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.Verdict;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts, resumes and ends a submission's run: the status transitions around the feature's pipeline. A run
 * starts from its checkpoint (a fresh one for a new run), so after a crash, a restart or a Pending wait it
 * goes on after its last completed step.
 */
@Component("submissionLifecycle")
public class SubmissionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionLifecycle.class);

    private final SubmissionRepository repository;
    private final FeatureRegistry features;
    private final HubProperties properties;
    private final ProcessingMetrics metrics;
    private final ActiveRuns activeRuns;
    private final PendingRuns pendingRuns;
    private final ArtifactStore store;

    public SubmissionLifecycle(SubmissionRepository repository, FeatureRegistry features, HubProperties properties,
                               ProcessingMetrics metrics, ActiveRuns activeRuns, PendingRuns pendingRuns, ArtifactStore store) {
        this.pendingRuns = pendingRuns;
        this.store = store;
        this.repository = repository;
        this.features = features;
        this.properties = properties;
        this.metrics = metrics;
        this.activeRuns = activeRuns;
    }

    /** Takes the submission named by the message body if it is still Scheduled; otherwise the message is a duplicate. */
    @Handler
    public void claim(Exchange exchange) {
        String id = exchange.getMessage().getBody(String.class);
        exchange.setProperty(RunProperties.CLAIMED, false);
        Optional<Submission> found = repository.findById(id);
        if (found.isEmpty()) {
            LOG.warn("Queue message for unknown submission {} ignored", id);
            return;
        }
        if (!repository.claim(id, found.get().runNo(), properties.nodeId(), activeRuns.leaseUntil())) {
            LOG.debug("Submission {} is {} — duplicate wake-up ignored", id, found.get().status());
            return;
        }
        start(exchange, found.get()); // the claim changes neither run, feature nor storage prefix
    }

    /** A Pending run this node's poller has claimed ("id:run" in the body) continues from its checkpoint. */
    @Handler
    public void resume(Exchange exchange) {
        pendingRuns.taken();
        String[] body = exchange.getMessage().getBody(String.class).split(":");
        exchange.setProperty(RunProperties.CLAIMED, false);
        Submission s = repository.findById(body[0]).orElse(null);
        if (s == null || s.runNo() != Integer.parseInt(body[1]) || s.status() != SubmissionStatus.Pending
                || !properties.nodeId().equals(s.ownerNode())) {
            return; // canceled or finished meanwhile
        }
        start(exchange, s);
    }

    private void start(Exchange exchange, Submission s) {
        RunState state = repository.runState(s.id(), s.runNo()).map(StepRunner::read).orElseGet(() -> {
            RunState fresh = new RunState();
            fresh.nextFileNumber = StorageLayout.FIRST_RUN_FILE_NUMBER;
            // the ERP's context.variables are run variables from the start, as in a dry run (DocumentTrial)
            contextVariables(s).forEach(fresh.variables::put);
            return fresh;
        });
        RunContext run = new RunContext(s, state);
        exchange.setProperty(RunContext.PROPERTY, run);
        StepRunner.shareVariables(exchange);
        exchange.setProperty(RunProperties.SUBMISSION_ID, s.id());
        exchange.setProperty(RunProperties.RUN, s.runNo());
        exchange.setProperty(RunProperties.FEATURE_ID, s.featureId());
        exchange.setProperty(RunProperties.STORAGE_PREFIX, s.storagePrefix());
        exchange.getMessage().setHeader(RunProperties.DOCUMENT_TYPE, s.documentType());
        activeRuns.started(run);
        if (features.find(s.featureId()).isEmpty()) {
            finish(run, SubmissionStatus.Failed, Verdict.NotRequested,
                    "Feature '" + s.featureId() + "' is no longer installed; install it and resubmit");
            return;
        }
        exchange.setProperty(RunProperties.CLAIMED, true);
    }

    /** context.variables of the stored submission context; none when it has none or cannot be read. */
    private Map<String, String> contextVariables(Submission s) {
        Map<String, String> variables = new LinkedHashMap<>();
        try {
            Optional<byte[]> stored = store.get(StorageLayout.inputKey(s.storagePrefix(), StorageLayout.CONTEXT));
            if (stored.isPresent()) {
                UnifiedJson.parse(stored.get()).path("variables").fields()
                        .forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Submission {}: stored context cannot be read; its variables are not run variables: {}", s.id(), e.getMessage());
        }
        return variables;
    }

    /** After the pipeline: Completed (with the authority's verdict, if any), Failed on a blocking finding, Canceled, or still Pending. */
    @Handler
    public void complete(Exchange exchange) {
        RunContext run = exchange.getProperty(RunContext.PROPERTY, RunContext.class);
        activeRuns.ended(run);
        RunState state = run.state();
        switch (run.stop()) {
            case LOST -> LOG.info("Submission {} run {}: left to the node that holds it now", run.id(), run.run());
            case SUSPENDED -> LOG.debug("Submission {} run {} is Pending", run.id(), run.run());
            case CANCELED -> finish(run, SubmissionStatus.Canceled, state.verdict, "Canceled by request");
            default -> {
                if (repository.isCancelRequested(run.id())) {
                    finish(run, SubmissionStatus.Canceled, state.verdict, "Canceled by request");
                } else if (state.blocking > 0) {
                    finish(run, SubmissionStatus.Failed, state.verdict,
                            "Validation failed with " + state.blocking + " error(s); see findings");
                } else {
                    String message = state.outcomeMessage != null ? state.outcomeMessage
                            : state.warnings == 0 ? "Completed" : "Completed with " + state.warnings + " warning(s)";
                    Verdict verdict = state.verdict == Verdict.Awaiting ? Verdict.NotRequested : state.verdict;
                    finish(run, SubmissionStatus.Completed, verdict, message);
                }
            }
        }
    }

    /** Called by the shared error handler: the run fails with the cause's message; the input stays stored. */
    @Handler
    public void fail(Exchange exchange) {
        RunContext run = exchange.getProperty(RunContext.PROPERTY, RunContext.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (run == null) {
            LOG.error("Processing failed before a submission was claimed", cause);
            return;
        }
        activeRuns.ended(run);
        if (run.stop() == RunContext.Stop.LOST) {
            return;
        }
        String message = cause == null ? "Processing failed" : describe(cause);
        LOG.warn("Submission {} run {} failed: {}", run.id(), run.run(), message);
        finish(run, SubmissionStatus.Failed, run.state().verdict, message);
    }

    /** The final status, with the log rows of the last steps, which waited for this transaction (see RunContext#defer). */
    private void finish(RunContext run, SubmissionStatus status, Verdict verdict, String message) {
        activeRuns.ended(run);
        // a failure of this transaction goes to the shared error handler like a failed step (nothing is half written)
        boolean finished = run.hasDeferred()
                ? repository.finish(run.id(), run.run(), status, verdict, message, properties.nodeId(), run.takeDeferred(),
                        StepRunner.stateWithMarks(run.state()))
                : repository.finish(run.id(), run.run(), status, verdict, message, properties.nodeId());
        if (finished) {
            metrics.finished(run.featureId(), status.name());
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof StepRunner.StepFailedException) {
            return root.getMessage();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "Processing failed: " + text;
    }
}
