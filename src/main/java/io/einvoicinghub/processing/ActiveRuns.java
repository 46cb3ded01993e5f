package io.einvoicinghub.processing;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.submission.SubmissionRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this node is executing now, and their leases: renewed while a step runs (a step longer than the
 * lease is not taken over by another node and executed twice). A renewal that finds the run held by
 * another node (or finished) marks it lost, so its worker stops before it writes anything.
 */
@Component
public class ActiveRuns {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveRuns.class);

    private final Map<String, RunContext> runs = new ConcurrentHashMap<>();
    /** Notified when a run ends here (see {@link #awaitEnd}). */
    private final Object runEnded = new Object();
    private final SubmissionRepository repository;
    private final HubProperties properties;

    public ActiveRuns(SubmissionRepository repository, HubProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    public void started(RunContext run) {
        runs.put(run.id(), run);
    }

    public void ended(RunContext run) {
        if (runs.remove(run.id(), run)) {
            synchronized (runEnded) {
                runEnded.notifyAll(); // a poller waiting for room (PendingRuns) may claim the next run now
            }
        }
    }

    /**
     * Waits until a run ends here or {@code millis} pass, whichever is first; a wake-up missed between the
     * caller's check and this wait costs at most {@code millis}.
     */
    public void awaitEnd(long millis) throws InterruptedException {
        if (millis > 0) {
            synchronized (runEnded) {
                runEnded.wait(millis);
            }
        }
    }

    public int size() {
        return runs.size();
    }

    public OffsetDateTime leaseUntil() {
        return OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(properties.processing().leaseSeconds());
    }

    /** Every third of the lease: each run still executing here keeps its lease. */
    @Scheduled(fixedDelayString = "#{${hub.processing.lease-seconds:300} * 1000 / 3}",
            initialDelayString = "#{${hub.processing.lease-seconds:300} * 1000 / 3}")
    public void renewLeases() {
        for (RunContext run : runs.values()) {
            if (!repository.renewLease(run.id(), run.run(), properties.nodeId(), leaseUntil())) {
                LOG.warn("Submission {} run {} is no longer held by node {}; its worker stops", run.id(), run.run(),
                        properties.nodeId());
                run.markLost();
                runs.remove(run.id(), run);
            }
        }
    }
}
