package io.einvoicinghub.processing.action;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.processing.RunContext;
import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.processing.StepLogNotifier;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.SubmissionRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The engine behind every {@code action:} step: skips what the run's checkpoint says is done, runs the
 * action with its retry settings (exponential backoff with jitter, Retry-After honoured, each attempt in the
 * log), and writes the checkpoint — or suspends the run as Pending — in the same transaction as the check
 * that this node still holds the run.
 */
@Component
public class StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    /** Longest Retry-After the hub waits for inside a step. */
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(5);

    private final SubmissionRepository repository;
    private final ArtifactStore store;
    private final HubProperties properties;

    public StepRunner(SubmissionRepository repository, ArtifactStore store, HubProperties properties) {
        this.repository = repository;
        this.store = store;
        this.properties = properties;
    }

    /** Whether the step named by the exchange is skipped in this pass (done before, or the run has stopped). */
    public static boolean skips(Exchange exchange, String step) {
        RunContext run = exchange.getProperty(RunContext.PROPERTY, RunContext.class);
        return run != null && (run.stopped() || run.state().isCompleted(step));
    }

    public void run(Exchange exchange, Action action, StepParameters parameters) throws Exception {
        try {
            execute(exchange, action, parameters);
        } finally {
            shareVariables(exchange);
        }
    }

    /**
     * The run's variables as Camel exchange variables, so a route can branch on them ({@code ${variable.name}} in a
     * {@code choice}); refreshed after every step, skipped ones included, so a resumed run branches as before.
     */
    public static void shareVariables(Exchange exchange) {
        RunContext run = exchange.getProperty(RunContext.PROPERTY, RunContext.class);
        if (run != null) {
            // a name with ':' would address Camel's global or route variables, shared beyond this run
            run.state().variables.forEach((name, value) -> {
                if (name.indexOf(':') < 0) {
                    exchange.setVariable(name, value);
                }
            });
        }
    }

    private void execute(Exchange exchange, Action action, StepParameters parameters) throws Exception {
        RunContext run = exchange.getProperty(RunContext.PROPERTY, RunContext.class);
        if (run == null) {
            throw new IllegalStateException("Action '" + action.spec().name() + "' runs only inside a submission's run");
        }
        String stepId = exchange.getProperty(Exchange.STEP_ID, String.class);
        String step = stepId == null ? action.spec().name() : StepLogNotifier.stepName(stepId);
        if (run.trial() != null) {
            runTrial(run, step, action, parameters);
            return;
        }
        RunState state = run.state();
        if (run.stopped() || state.isCompleted(step)) {
            return;
        }
        if (repository.isCancelRequested(run.id())) {
            run.stop(RunContext.Stop.CANCELED);
            return;
        }
        boolean external = action.spec().externalEffect();
        boolean unknown = step.equals(state.inFlight);
        if (unknown) {
            LOG.warn("Submission {} run {}: step {} was interrupted after it had started; its outcome is reconciled",
                    run.id(), run.run(), step);
        } else if (external) {
            state.inFlight = step;
            if (!checkpoint(run, null, startedLine(exchange, run, step))) {
                return;
            }
        }
        int retries = parameters.getInt("retries", external ? 3 : 0);
        Duration backoff = parameters.getDuration("backoff", Duration.ofSeconds(1));
        Duration maxBackoff = parameters.getDuration("maxBackoff", Duration.ofSeconds(30));
        for (int attempt = 1; ; attempt++) {
            StepContext[] current = new StepContext[1];
            StepContext context = new StepContext(step, run, parameters, store, repository, attempt,
                    unknown || (external && attempt > 1), () -> checkpoint(run, current[0], startedLine(exchange, run, step)));
            current[0] = context;
            try {
                StepResult result = attempt(run, action, context);
                if (result.waiting()) {
                    suspend(run, step, result, context, startedLine(exchange, run, step));
                } else {
                    state.completed.add(step);
                    state.waiting = null;
                    state.inFlight = null;
                    if (!external && !unknown) {
                        // nothing left the hub: the step's rows go with the run's next transaction (a later step's
                        // checkpoint or the run's end); a node that dies before it runs the step again
                        run.defer(succeededLine(exchange, run, step, true));
                        run.defer(context.takeLogWrites());
                        if (state.blocking > 0) {
                            run.stop(RunContext.Stop.BLOCKED); // later steps would work on an invalid document
                        }
                    } else if (checkpoint(run, context, succeededLine(exchange, run, step, false)) && state.blocking > 0) {
                        // the step's files, findings, log line and checkpoint: one transaction
                        run.stop(RunContext.Stop.BLOCKED);
                    }
                }
                return;
            } catch (StepFailure.Permanent e) {
                throw new StepFailedException("Step " + step + " failed: " + e.getMessage());
            } catch (StepFailure.Transient e) {
                if (attempt > retries) {
                    run.writeDeferred(repository::inTransaction);
                    startedLine(exchange, run, step).run();
                    if (restart(run, step, parameters, e)) {
                        return;
                    }
                    throw new StepFailedException("Step " + step + " failed after " + attempt + " attempt(s): " + e.getMessage());
                }
                Duration delay = delay(backoff, maxBackoff, attempt, e.retryAfter());
                String message = "Attempt " + attempt + " of " + (retries + 1) + " failed: " + e.getMessage()
                        + "; next attempt in " + delay.toMillis() + " ms" + (e.retryAfter() != null ? " (Retry-After)" : "");
                LOG.info("Submission {} run {} step {}: {}", run.id(), run.run(), step, message);
                run.writeDeferred(repository::inTransaction); // the earlier steps' lines come before this one
                startedLine(exchange, run, step).run(); // the step's line comes before its retries
                repository.stepAttempt(run.id(), run.run(), step, message);
                if (!sleep(run, delay)) {
                    return;
                }
            }
        }
    }

    /** One attempt; when it throws, what it left in the log (files stored, findings) is written all the same. */
    private StepResult attempt(RunContext run, Action action, StepContext context) throws Exception {
        try {
            return action.run(context);
        } catch (Exception | Error e) {
            try {
                Runnable earlier = run.takeDeferred();
                Runnable rows = context.takeLogWrites();
                repository.inTransaction(() -> {
                    earlier.run();
                    rows.run();
                });
            } catch (RuntimeException logFailure) {
                e.addSuppressed(logFailure);
            }
            throw e;
        }
    }

    /** A dry run: one attempt, nothing checkpointed; it ends before the first step that would reach the outside. */
    private void runTrial(RunContext run, String step, Action action, StepParameters parameters) throws Exception {
        if (run.stopped()) {
            return;
        }
        if (action.spec().externalEffect()) {
            run.stop(RunContext.Stop.TRIAL_END);
            return;
        }
        try {
            action.run(new StepContext(step, run, parameters, store, repository, 1, false, () -> true));
        } catch (StepFailure e) {
            throw new StepFailedException("Step " + step + " failed: " + e.getMessage());
        }
        run.state().completed.add(step);
        if (run.state().blocking > 0) {
            run.stop(RunContext.Stop.BLOCKED);
        }
    }

    /**
     * The wait, shortened by up to {@code jitter} of it at random (never lengthened: a wait may end at a deadline):
     * runs that went Pending together spread their checks instead of coming due in the same instant.
     */
    static Duration jittered(Duration wait, double jitter) {
        long millis = wait.toMillis();
        long spread = (long) (millis * jitter);
        return spread <= 0 ? wait : Duration.ofMillis(millis - ThreadLocalRandom.current().nextLong(spread + 1));
    }

    /** Exponential backoff with "equal jitter" (half fixed, half random), or the other side's Retry-After. */
    static Duration delay(Duration backoff, Duration maxBackoff, int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : retryAfter;
        }
        long base = Math.min(maxBackoff.toMillis(), backoff.toMillis() * (1L << Math.min(attempt - 1, 20)));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private boolean restart(RunContext run, String step, StepParameters parameters, StepFailure.Transient cause) {
        String from = parameters.get("restartFrom").orElse(null);
        int done = run.state().restarts.getOrDefault(step, 0);
        if (from == null || done >= parameters.getInt("maxRestarts", 1)) {
            return false;
        }
        RunState state = run.state();
        state.restartFrom(from);
        state.restarts.put(step, done + 1);
        state.inFlight = null;
        String message = "Retries used up (" + cause.getMessage() + "); restarting from step " + from;
        LOG.info("Submission {} run {} step {}: {}", run.id(), run.run(), step, message);
        repository.stepAttempt(run.id(), run.run(), step, message);
        if (checkpoint(run, null, null)) {
            run.requestRestart();
        }
        return true;
    }

    private void suspend(RunContext run, String step, StepResult result, StepContext context, Runnable line) {
        RunState state = run.state();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RunState.Waiting before = state.waiting != null && step.equals(state.waiting.step()) ? state.waiting : null;
        OffsetDateTime next = now.plus(result.notEarlier() ? result.nextCheck()
                : jittered(result.nextCheck(), properties.processing().pendingJitter()));
        state.waiting = new RunState.Waiting(step, before == null ? now : before.since(),
                before == null ? 1 : before.polls() + 1, next, result.message());
        state.inFlight = null;
        if (checkpoint(run, context, line) && repository.suspend(run.id(), run.run(), properties.nodeId(), next, result.message())) {
            run.stop(RunContext.Stop.SUSPENDED);
        } else {
            lost(run);
        }
    }

    /**
     * The step's log line as Running, if it was not written when the step began ({@link StepLogNotifier} defers it
     * to the step's first write): to run before, or inside the transaction of, that write.
     */
    private Runnable startedLine(Exchange exchange, RunContext run, String step) {
        return () -> {
            OffsetDateTime startedAt = (OffsetDateTime) exchange.removeProperty(StepLogNotifier.deferredKey(step));
            if (startedAt != null) {
                repository.stepLine(run.id(), run.run(), step, "Running", null, startedAt);
            }
        };
    }

    /**
     * The step's log line as Succeeded, written with its checkpoint; the notifier then leaves it alone. When the
     * line is deferred ({@code now}), the step's start is taken and the notifier told at once, since the line is
     * written after the step's end event.
     */
    private Runnable succeededLine(Exchange exchange, RunContext run, String step, boolean now) {
        if (now) {
            OffsetDateTime startedAt = (OffsetDateTime) exchange.removeProperty(StepLogNotifier.deferredKey(step));
            OffsetDateTime finishedAt = OffsetDateTime.now(ZoneOffset.UTC); // the line is written later: the step ended now
            exchange.setProperty(StepLogNotifier.loggedKey(step), true);
            return () -> succeeded(run, step, startedAt, finishedAt);
        }
        return () -> {
            succeeded(run, step, (OffsetDateTime) exchange.removeProperty(StepLogNotifier.deferredKey(step)),
                    OffsetDateTime.now(ZoneOffset.UTC));
            exchange.setProperty(StepLogNotifier.loggedKey(step), true);
        };
    }

    private void succeeded(RunContext run, String step, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
        if (startedAt != null) {
            repository.stepLine(run.id(), run.run(), step, "Succeeded", null, startedAt, finishedAt);
        } else {
            repository.stepFinished(run.id(), run.run(), step, "Succeeded", null, finishedAt);
        }
    }


    /**
     * Writes the run's state, with the log rows {@code context} holds (if any) and the step's log line
     * ({@code line}, if any), in one transaction that first checks this node still holds the run.
     */
    private boolean checkpoint(RunContext run, StepContext context, Runnable line) {
        RunState state = run.state();
        Runnable earlier = run.takeDeferred();
        Runnable rows = context == null ? () -> { } : context.takeLogWrites();
        Runnable logWrites = () -> {
            earlier.run();
            if (line != null) {
                line.run();
            }
            rows.run();
        };
        if (repository.checkpoint(run.id(), run.run(), properties.nodeId(), logWrites, stateWithMarks(state))) {
            return true;
        }
        lost(run);
        return false;
    }

    /** Renders the run's state with the log marks the repository read after the rows of the same transaction. */
    public static java.util.function.Function<long[], String> stateWithMarks(RunState state) {
        return marks -> {
            state.findingMark = marks[0];
            state.artifactMark = marks[1];
            state.outputMark = marks[2];
            return write(state);
        };
    }

    private void lost(RunContext run) {
        if (run.stop() != RunContext.Stop.LOST) {
            LOG.warn("Submission {} run {} is no longer held by node {} (taken over or canceled); this worker stops",
                    run.id(), run.run(), properties.nodeId());
        }
        run.markLost();
    }

    /** Waits, but gives up early when the run was lost or canceled meanwhile. */
    private boolean sleep(RunContext run, Duration delay) throws InterruptedException {
        long until = System.nanoTime() + delay.toNanos();
        while (System.nanoTime() < until) {
            if (run.stopped()) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(200, (until - System.nanoTime()) / 1_000_000)));
        }
        return !run.stopped();
    }

    private static final ObjectMapper CHECKPOINTS = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    public static String write(RunState state) {
        try {
            return CHECKPOINTS.writeValueAsString(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunState read(String json) {
        try {
            return CHECKPOINTS.readValue(json, RunState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable run checkpoint", e);
        }
    }

    /** The run fails with this message (shown to the ERP as is). */
    public static final class StepFailedException extends RuntimeException {
        public StepFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
