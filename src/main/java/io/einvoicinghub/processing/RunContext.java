package io.einvoicinghub.processing;

import io.einvoicinghub.submission.Submission;

/**
 * The live side of one run on this node, carried by the exchange (property {@link #PROPERTY}): who the run
 * is, its checkpointed {@link RunState}, and how the pipeline must go on — normally, stopped because a step
 * waits (Pending), because the node lost the run, on a cancel, or again from an earlier step.
 */
public final class RunContext {

    public static final String PROPERTY = "hubRunContext";

    public enum Stop { NONE, SUSPENDED, LOST, CANCELED, BLOCKED, RESTART,
        /** A dry run reached a step with an external effect: it ends there, nothing is sent. */
        TRIAL_END }

    private final Submission submission;
    private final int run;
    private final RunState state;
    private volatile Stop stop = Stop.NONE;
    private volatile boolean lost;
    private boolean runAgain = true;
    private final TrialRun trial;
    /** Log rows of completed steps without an external effect, not yet written: they go with the next transaction. */
    private Runnable deferredWrites;

    public RunContext(Submission submission, RunState state) {
        this(submission, state, null);
    }

    private RunContext(Submission submission, RunState state, TrialRun trial) {
        this.submission = submission;
        this.run = submission.runNo();
        this.state = state;
        this.trial = trial;
    }

    /** A dry run ("try a document"): nothing is checkpointed, stored or sent; files and findings go to the trial. */
    public static RunContext trial(Submission submission, TrialRun trial) {
        return new RunContext(submission, new RunState(), trial);
    }

    /** The dry run this context belongs to, or null for a real run. */
    public TrialRun trial() {
        return trial;
    }

    public Submission submission() {
        return submission;
    }

    public String id() {
        return submission.id();
    }

    public int run() {
        return run;
    }

    public String featureId() {
        return submission.featureId();
    }

    public RunState state() {
        return state;
    }

    public Stop stop() {
        return lost ? Stop.LOST : stop;
    }

    public boolean stopped() {
        return stop() != Stop.NONE;
    }

    public void stop(Stop why) {
        this.stop = why;
    }

    /** Set by the lease keeper when a renewal finds the run no longer held by this node. */
    public void markLost() {
        this.lost = true;
    }

    /** A step asked to start again from an earlier step: the rest of this pass is skipped, then the pipeline runs again. */
    public void requestRestart() {
        this.stop = Stop.RESTART;
        this.runAgain = true;
    }

    /**
     * Keeps the log rows of a completed step that changed nothing outside the hub (its files, findings and log
     * line) for the run's next transaction — the next step's checkpoint or the run's end — instead of a commit
     * of their own. Safe because such a step runs again, to the same result, if the node dies before that
     * transaction: the run resumes from its last written checkpoint.
     */
    public void defer(Runnable writes) {
        Runnable before = deferredWrites;
        deferredWrites = before == null ? writes : () -> {
            before.run();
            writes.run();
        };
    }

    /** The deferred log rows, in order, and none left behind; a no-op when there are none. */
    public Runnable takeDeferred() {
        Runnable writes = deferredWrites;
        deferredWrites = null;
        return writes == null ? () -> { } : writes;
    }

    public boolean hasDeferred() {
        return deferredWrites != null;
    }

    /** Writes the deferred rows now, in a transaction of their own ({@code transaction}), if there are any. */
    public void writeDeferred(java.util.function.Consumer<Runnable> transaction) {
        if (deferredWrites != null) {
            transaction.accept(takeDeferred());
        }
    }

    /** Read by the worker's loop before each pass over the feature's route: true once, then only after a restart. */
    public boolean isRunAgain() {
        boolean again = runAgain && !lost && (stop == Stop.NONE || stop == Stop.RESTART);
        if (again) {
            stop = Stop.NONE;
        }
        runAgain = false;
        return again;
    }
}
