package io.einvoicinghub.processing;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.submission.SubmissionRepository;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The persisted timer of Pending runs: claims the runs whose next check is due with a database lease (so
 * one instance at a time looks at a run), up to the room this node has, and hands each to the local resume
 * route. A Pending run holds no thread while it waits; a node that dies while resuming one loses only its
 * lease, after which any node's poller takes the run.
 *
 * <p>Each tick claims batch after batch for as long as runs are due, waiting for room as runs end: one batch
 * of {@code concurrency * 4} a tick would cap this node at that many status checks a second, whatever the
 * authority's speed (10,000 Pending runs would each be looked at every 20 minutes, and drain as slowly).
 */
@Component("pendingRuns")
public class PendingRuns {

    private static final String RESUME = "seda:resume-pending-run";
    /** Room is looked at again this often while waiting, should the wake-up of an ending run be missed. */
    private static final long ROOM_RECHECK_MILLIS = 50;

    private final SubmissionRepository repository;
    private final ActiveRuns activeRuns;
    private final HubProperties properties;
    private final ProducerTemplate producer;
    /** Claimed and handed to the resume route, not yet started there. */
    private final AtomicInteger queued = new AtomicInteger();

    public PendingRuns(SubmissionRepository repository, ActiveRuns activeRuns, HubProperties properties,
                       ProducerTemplate producer) {
        this.repository = repository;
        this.activeRuns = activeRuns;
        this.properties = properties;
        this.producer = producer;
    }

    /** The resume route has taken one handed-over run. */
    public void taken() {
        queued.decrementAndGet();
    }

    /** Claims due runs for up to one tick ({@code pending-poll-millis}); returns how many it handed over. */
    public int claimDue() throws InterruptedException {
        long until = System.nanoTime() + properties.processing().pendingPollMillis() * 1_000_000L;
        int claimed = 0;
        while (true) {
            int room = room();
            if (room > 0) {
                List<Map.Entry<String, Integer>> due = repository.duePending(room);
                claimed += claim(due);
                if (due.size() < room) {
                    return claimed; // nothing more is due
                }
            }
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return claimed; // the next tick goes on
            }
            activeRuns.awaitEnd(Math.min(left, ROOM_RECHECK_MILLIS));
        }
    }

    /** Runs this node may still take on: its workers' queue stays short, so another node can take the rest. */
    private int room() {
        return properties.processing().concurrency() * 4 - activeRuns.size() - queued.get();
    }

    private int claim(List<Map.Entry<String, Integer>> due) {
        int claimed = 0;
        for (Map.Entry<String, Integer> run : due) {
            if (repository.claimPending(run.getKey(), run.getValue(), properties.nodeId(), activeRuns.leaseUntil())) {
                queued.incrementAndGet();
                producer.sendBody(RESUME, run.getKey() + ":" + run.getValue());
                claimed++;
            }
        }
        return claimed;
    }
}
