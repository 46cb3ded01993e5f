package io.einvoicinghub.processing.action;

import io.einvoicinghub.processing.RunContext;
import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.processing.TrialRun;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.storage.StorageLayout;
import io.einvoicinghub.storage.StoredArtifact;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.validation.Finding;

import java.util.List;

/**
 * What an action sees of its run: its parameters, the run's variables and current document, and the ways to
 * leave a trace (stored files, findings, authority outputs). Everything written here is durable: files go to
 * storage and their rows to the database, the rest into the checkpoint written when the step completes.
 */
public final class StepContext {

    private final String step;
    private final RunContext run;
    private final StepParameters parameters;
    private final ArtifactStore store;
    private final SubmissionRepository repository;
    private final int attempt;
    private final boolean outcomeUnknown;
    private final java.util.function.BooleanSupplier checkpoint;
    /** Log rows not yet written: they go into the database with the step's next checkpoint, in its transaction. */
    private final List<Runnable> logWrites = new java.util.ArrayList<>();

    StepContext(String step, RunContext run, StepParameters parameters, ArtifactStore store,
                SubmissionRepository repository, int attempt, boolean outcomeUnknown,
                java.util.function.BooleanSupplier checkpoint) {
        this.checkpoint = checkpoint;
        this.step = step;
        this.run = run;
        this.parameters = parameters.withVariables(this::lookup);
        this.store = store;
        this.repository = repository;
        this.attempt = attempt;
        this.outcomeUnknown = outcomeUnknown;
    }

    public String step() {
        return step;
    }

    public StepParameters parameters() {
        return parameters;
    }

    public Submission submission() {
        return run.submission();
    }

    public RunState state() {
        return run.state();
    }

    /** 1 for the first attempt of this step in this pass, 2 for the first retry, ... */
    public int attempt() {
        return attempt;
    }

    /**
     * True when this step (an external effect) had started before a crash and its outcome is unknown: the
     * action asks the other side what happened instead of doing it again.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /**
     * Writes the run's checkpoint now, in the middle of the step (the step stays in flight): an action with an
     * external effect records what it needs to reconcile (e.g. the session it sends in) before it acts.
     *
     * @throws StepFailure.Permanent when this node no longer holds the run (it must not act)
     */
    public void recordProgress() throws StepFailure.Permanent {
        if (!checkpoint.getAsBoolean()) {
            throw new StepFailure.Permanent("the run is no longer held by this node");
        }
    }

    /** The run's number (1 for the first, one more for each resubmission). */
    public int runNumber() {
        return run.run();
    }

    /** True in a dry run (the console's try-out), which never reaches or waits for the outside. */
    public boolean dryRun() {
        return run.trial() != null;
    }

    /** Ends a dry run here, as a step with an external effect does: what follows needs the outside world. */
    public void endDryRun() {
        run.stop(RunContext.Stop.TRIAL_END);
    }

    public String variable(String name) {
        return lookup(name);
    }

    public void setVariable(String name, String value) {
        run.state().variables.put(name, value);
    }

    private String lookup(String name) {
        Submission s = run.submission();
        return switch (name) {
            case "submissionId" -> s.id();
            case "run" -> String.valueOf(run.run());
            case "legalEntity" -> s.legalEntity();
            case "country" -> s.country();
            case "documentType" -> s.documentType();
            case "erpDocumentId" -> s.erpDocumentId();
            case "featureId" -> s.featureId();
            default -> run.state().variables.get(name);
        };
    }

    /** The stored unified JSON document of the submission. */
    public byte[] input() {
        if (run.trial() != null) {
            return run.trial().documentJson();
        }
        return store.get(StorageLayout.inputKey(run.submission().storagePrefix(), StorageLayout.DOCUMENT))
                .orElseThrow(() -> new IllegalStateException("Stored input " + run.submission().storagePrefix()
                        + StorageLayout.DOCUMENT + " is missing"));
    }

    /** The document the previous steps produced (the last transform's output). */
    public byte[] document() {
        RunState.Document doc = run.state().document;
        if (doc == null) {
            throw new IllegalStateException("No document yet: a transform (or another producing step) must come first");
        }
        if (run.trial() != null) {
            return run.trial().file(doc.key()).map(TrialRun.File::content)
                    .orElseThrow(() -> new IllegalStateException("File " + doc.key() + " is missing in the dry run"));
        }
        return store.get(doc.key()).orElseThrow(() -> new IllegalStateException("Stored file " + doc.key() + " is missing"));
    }

    /**
     * The current document as a source of fresh streams from storage: for reading it once per pass (validation
     * layers) without holding a large document in memory.
     */
    public io.einvoicinghub.validation.XmlInput documentInput() {
        RunState.Document doc = run.state().document;
        if (doc == null || run.trial() != null) {
            return io.einvoicinghub.validation.XmlInput.of(document());
        }
        String key = doc.key();
        return () -> store.open(key).orElseThrow(() -> new IllegalStateException("Stored file " + key + " is missing"));
    }

    /** A file stored earlier in this run, by the storage key {@link #storeFile} returned. */
    public byte[] file(String key) {
        if (run.trial() != null) {
            return run.trial().file(key).map(TrialRun.File::content)
                    .orElseThrow(() -> new IllegalStateException("File " + key + " is missing in the dry run"));
        }
        return store.get(key).orElseThrow(() -> new IllegalStateException("Stored file " + key + " is missing"));
    }

    public String documentName() {
        return run.state().document == null ? null : run.state().document.name();
    }

    /** Stores {@code content} as the run's next numbered file and lists it in the log. */
    public StoredArtifact storeFile(String name, String kind, String contentType, byte[] content) {
        if (run.trial() != null) {
            run.trial().addFile(name, kind, contentType, content);
            run.state().nextFileNumber = nextFileNumber() + 1;
            return new StoredArtifact(name, content.length, null, contentType); // the trial keys files by name
        }
        return listed(name, kind, store.put(nextFileKey(name), content, contentType));
    }

    /**
     * Stores the file at {@code content} (written by the action, e.g. a transform's output) as the run's next
     * numbered file, copied through in chunks instead of read into memory; the caller removes it afterwards.
     */
    public StoredArtifact storeFile(String name, String kind, String contentType, java.nio.file.Path content)
            throws java.io.IOException {
        if (run.trial() != null) {
            return storeFile(name, kind, contentType, java.nio.file.Files.readAllBytes(content));
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(content)) {
            return listed(name, kind, store.put(nextFileKey(name), in, contentType));
        }
    }

    /** The storage key of the run's next numbered file (counted once it is stored: a failed write reuses it). */
    private String nextFileKey(String name) {
        return StorageLayout.runFileKey(run.submission().storagePrefix(), run.run(), nextFileNumber(), name);
    }

    /** Run files are numbered from {@link StorageLayout#FIRST_RUN_FILE_NUMBER} on, after the inputs. */
    private int nextFileNumber() {
        RunState state = run.state();
        if (state.nextFileNumber < StorageLayout.FIRST_RUN_FILE_NUMBER) {
            state.nextFileNumber = StorageLayout.FIRST_RUN_FILE_NUMBER;
        }
        return state.nextFileNumber;
    }

    private StoredArtifact listed(String name, String kind, StoredArtifact stored) {
        // the row goes with the checkpoint: a crash before it leaves a file the repeated step overwrites
        // (the file counter is in the checkpoint), never a row without its file
        logWrites.add(() -> repository.addArtifact(run.id(), run.run(), name, kind, stored));
        run.state().nextFileNumber++;
        return stored;
    }

    /** Stores the file at {@code content} (see {@link #storeFile(String, String, String, java.nio.file.Path)}) as the current document. */
    public void storeDocument(String name, String kind, String contentType, java.nio.file.Path content)
            throws java.io.IOException {
        StoredArtifact stored = storeFile(name, kind, contentType, content);
        run.state().document = new RunState.Document(stored.key(), name, contentType);
    }

    /** Stores {@code content} and makes it the document later steps work on. */
    public void storeDocument(String name, String kind, String contentType, byte[] content) {
        StoredArtifact stored = storeFile(name, kind, contentType, content);
        run.state().document = new RunState.Document(stored.key(), name, contentType);
    }

    public void addFindings(List<Finding> findings) {
        if (run.trial() != null) {
            run.trial().addFindings(findings);
            return;
        }
        if (!findings.isEmpty()) {
            List<Finding> copy = List.copyOf(findings);
            logWrites.add(() -> repository.addFindings(run.id(), run.run(), step, copy));
        }
    }

    public void addAuthorityOutput(String name, String value) {
        if (run.trial() != null) {
            return; // a dry run never reaches an authority
        }
        logWrites.add(() -> repository.addAuthorityOutput(run.id(), run.run(), name, value));
    }

    /** The log rows written since the last call, as one unit to run inside the checkpoint's transaction. */
    Runnable takeLogWrites() {
        List<Runnable> writes = List.copyOf(logWrites);
        logWrites.clear();
        return () -> writes.forEach(Runnable::run);
    }

    public ArtifactStore store() {
        return store;
    }
}
