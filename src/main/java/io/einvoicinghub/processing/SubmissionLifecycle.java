package io.einvoicinghub.processing;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.feature.FeatureRegistry;
import io.einvoicinghub.storage.StorageLayout;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.Verdict;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Starts and ends a submission's run: the status transitions around the feature's pipeline. */
@Component("submissionLifecycle")
public class SubmissionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionLifecycle.class);

    private final SubmissionRepository repository;
    private final FeatureRegistry features;
    private final HubProperties properties;
    private final ProcessingMetrics metrics;

    public SubmissionLifecycle(SubmissionRepository repository, FeatureRegistry features, HubProperties properties,
                               ProcessingMetrics metrics) {
        this.repository = repository;
        this.features = features;
        this.properties = properties;
        this.metrics = metrics;
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
        OffsetDateTime lease = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(properties.processing().leaseSeconds());
        if (!repository.claim(id, found.get().runNo(), properties.nodeId(), lease)) {
            LOG.debug("Submission {} is {} — duplicate wake-up ignored", id, found.get().status());
            return;
        }
        Submission s = found.get(); // the claim changes neither run, feature nor storage prefix
        exchange.setProperty(RunProperties.SUBMISSION_ID, id);
        exchange.setProperty(RunProperties.RUN, s.runNo());
        exchange.setProperty(RunProperties.FEATURE_ID, s.featureId());
        exchange.setProperty(RunProperties.STORAGE_PREFIX, s.storagePrefix());
        exchange.setProperty(RunProperties.BLOCKING_FINDINGS, 0);
        exchange.setProperty(RunProperties.WARNINGS, 0);
        exchange.setProperty(RunProperties.NEXT_FILE_NUMBER, StorageLayout.FIRST_RUN_FILE_NUMBER);
        exchange.getMessage().setHeader(RunProperties.DOCUMENT_TYPE, s.documentType());
        if (features.find(s.featureId()).isEmpty()) {
            finish(id, s.runNo(), s.featureId(), SubmissionStatus.Failed,
                    "Feature '" + s.featureId() + "' is no longer installed; install it and resubmit");
            return;
        }
        exchange.setProperty(RunProperties.CLAIMED, true);
    }

    /** After the pipeline: Completed, or Failed when a blocking finding was logged, or Canceled on request. */
    @Handler
    public void complete(Exchange exchange) {
        String id = exchange.getProperty(RunProperties.SUBMISSION_ID, String.class);
        int run = exchange.getProperty(RunProperties.RUN, Integer.class);
        int blocking = exchange.getProperty(RunProperties.BLOCKING_FINDINGS, 0, Integer.class);
        int warnings = exchange.getProperty(RunProperties.WARNINGS, 0, Integer.class);
        String feature = exchange.getProperty(RunProperties.FEATURE_ID, String.class);
        if (repository.isCancelRequested(id)) {
            finish(id, run, feature, SubmissionStatus.Canceled, "Canceled by request");
        } else if (blocking > 0) {
            finish(id, run, feature, SubmissionStatus.Failed, "Validation failed with " + blocking + " error(s); see findings");
        } else {
            finish(id, run, feature, SubmissionStatus.Completed,
                    warnings == 0 ? "Completed" : "Completed with " + warnings + " warning(s)");
        }
    }

    /** Called by the shared error handler: the run fails with the cause's message; the input stays stored. */
    @Handler
    public void fail(Exchange exchange) {
        String id = exchange.getProperty(RunProperties.SUBMISSION_ID, String.class);
        Integer run = exchange.getProperty(RunProperties.RUN, Integer.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (id == null || run == null) {
            LOG.error("Processing failed before a submission was claimed", cause);
            return;
        }
        String message = cause == null ? "Processing failed" : describe(cause);
        LOG.warn("Submission {} run {} failed: {}", id, run, message);
        finish(id, run, exchange.getProperty(RunProperties.FEATURE_ID, String.class), SubmissionStatus.Failed, message);
    }

    private void finish(String id, int run, String featureId, SubmissionStatus status, String message) {
        if (repository.finish(id, run, status, Verdict.NotRequested, message, properties.nodeId())) {
            metrics.finished(featureId, status.name());
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "Processing failed: " + text;
    }
}
