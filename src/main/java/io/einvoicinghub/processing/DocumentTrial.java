package io.einvoicinghub.processing;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.feature.FeatureDescriptor;
import io.einvoicinghub.feature.SubmissionContext;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.Verdict;
import io.einvoicinghub.submission.SubmissionIntake;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.validation.Finding;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * "Try a document": runs a submission through its feature's real route as a dry run. Intake's checks and
 * feature choice apply as for a submission, but nothing is stored, queued or logged.
 */
@Service
public class DocumentTrial {

    public record Outcome(FeatureDescriptor feature, boolean completed, String error, List<TrialRun.File> files,
                          List<Finding> findings, long durationMillis) {

        public boolean valid() {
            return completed && findings.stream().noneMatch(Finding::isBlocking);
        }
    }

    private final SubmissionIntake intake;
    private final CamelContext camelContext;
    private final ProducerTemplate producer;

    public DocumentTrial(SubmissionIntake intake, CamelContext camelContext, ProducerTemplate producer) {
        this.intake = intake;
        this.camelContext = camelContext;
        this.producer = producer;
    }

    /** @throws io.einvoicinghub.submission.SubmissionRejectedException as intake would refuse the submission */
    public Outcome run(JsonNode submission) {
        SubmissionIntake.Checked checked = intake.check(submission);
        TrialRun trial = new TrialRun(UnifiedJson.write(submission.get("document")));
        SubmissionContext context = checked.context();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Submission dry = new Submission("trial", context.legalEntity(), context.country(), context.documentType(),
                context.erpDocumentId(), null, null, checked.feature().id(), checked.feature().version(),
                SubmissionStatus.Executing, Verdict.NotRequested, null, null, 1, null, null, false, now, now, null);
        RunContext run = RunContext.trial(dry, trial);
        context.variables().forEach(run.state().variables::put);
        Exchange exchange = new DefaultExchange(camelContext);
        exchange.setProperty(TrialRun.PROPERTY, trial);
        exchange.setProperty(RunContext.PROPERTY, run);
        exchange.setProperty(RunProperties.FEATURE_ID, checked.feature().id());
        exchange.getMessage().setHeader(RunProperties.DOCUMENT_TYPE, checked.context().documentType());
        long started = System.nanoTime();
        Exchange done = producer.send(checked.feature().endpointUri(), exchange);
        long millis = (System.nanoTime() - started) / 1_000_000;
        Exception failure = done.getException();
        return new Outcome(checked.feature(), failure == null, failure == null ? null : failure.getMessage(),
                trial.files(), trial.findings(), millis);
    }
}
