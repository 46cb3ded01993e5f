package io.einvoicinghub.processing;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.submission.SubmissionRepository;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The persisted timer of Pending runs: claims the runs whose next check is due with a database lease (so
 * one instance at a time looks at a run), up to the room this node has, and hands each to the local resume
 * route. A Pending run holds no thread while it waits; a node that dies while resuming one loses only its
 * lease, after which any node's poller takes the run.
 */
@Component("pendingRuns")
public class PendingRuns {

    private static final String RESUME = "seda:resume-pending-run";

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

    public int claimDue() {
        int room = properties.processing().concurrency() * 4 - activeRuns.size() - queued.get();
        if (room <= 0) {
            return 0;
        }
        int claimed = 0;
        for (Map.Entry<String, Integer> due : repository.duePending(room)) {
            if (repository.claimPending(due.getKey(), due.getValue(), properties.nodeId(), activeRuns.leaseUntil())) {
                queued.incrementAndGet();
                producer.sendBody(RESUME, due.getKey() + ":" + due.getValue());
                claimed++;
            }
        }
        return claimed;
    }
}
