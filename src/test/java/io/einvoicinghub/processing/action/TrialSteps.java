package io.einvoicinghub.processing.action;

import io.einvoicinghub.processing.RunContext;
import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.processing.TrialRun;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.Verdict;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one catalogue action outside the engine, on a dry-run context (files and findings collected by a
 * {@link TrialRun}), with parameters checked exactly as the {@code action:} component checks them. The state
 * carries over between steps, so a test can chain sign → verify.
 */
public final class TrialSteps {

    private final TrialRun trial;
    private final RunContext run;

    public TrialSteps() {
        this("{}".getBytes(StandardCharsets.UTF_8));
    }

    /** A dry run whose stored unified JSON document ({@link StepContext#input()}) is {@code documentJson}. */
    public TrialSteps(byte[] documentJson) {
        this.trial = new TrialRun(documentJson);
        OffsetDateTime now = OffsetDateTime.now();
        Submission submission = new Submission("sub-test", "LE01", "IT", "Invoice", "ERP-1", null, null, "test", "1",
                SubmissionStatus.Executing, Verdict.NotRequested, null, "test/", 1, "node", null, false, now, now, null);
        this.run = RunContext.trial(submission, trial);
    }

    /** Makes {@code content} the current document, as a transform would. */
    public TrialSteps document(String name, String contentType, byte[] content) {
        trial.addFile(name, "output", contentType, content);
        run.state().document = new RunState.Document(name, name, contentType);
        return this;
    }

    public StepResult run(Action action, Map<String, String> parameters) throws Exception {
        Map<String, String> checked = StepParameters.check(action.spec(), new LinkedHashMap<>(parameters), "in a test");
        StepContext step = new StepContext(action.spec().name(), run, StepParameters.of(action.spec(), checked), null, null,
                1, false, () -> true);
        return action.run(step);
    }

    public TrialRun trial() {
        return trial;
    }

    public RunState state() {
        return run.state();
    }

    /** The current document's content. */
    public byte[] current() {
        return trial.file(run.state().document.key()).orElseThrow().content();
    }

    public byte[] file(String name) {
        return trial.file(name).orElseThrow(() -> new AssertionError("no file " + name + " in " + trial.files())).content();
    }
}
