package io.einvoicinghub.submission;

import io.einvoicinghub.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * Makes "accepted means processed" hold across crashes: at start-up this node's interrupted submissions are
 * scheduled again, and periodically submissions whose node died (lease expired) or whose queue message was
 * lost (Scheduled for too long) are queued again.
 */
@Component
public class SubmissionRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionRecovery.class);

    private final SubmissionRepository repository;
    private final SubmissionQueue queue;
    private final HubProperties properties;
    /** Taken before the JMS consumers start: only runs claimed before it belong to the previous process. */
    private final OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);

    public SubmissionRecovery(SubmissionRepository repository, SubmissionQueue queue, HubProperties properties) {
        this.repository = repository;
        this.queue = queue;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void recoverInterruptedRuns() {
        int released = repository.releasePendingOf(properties.nodeId());
        if (released > 0) {
            LOG.info("Released {} Pending run(s) this node was looking at before its restart", released);
        }
        List<String> ids = repository.rescheduleExecutingOf(properties.nodeId(), startedAt);
        ids.forEach(queue::enqueue);
        if (!ids.isEmpty()) {
            LOG.warn("Recovered {} submission(s) interrupted on node {}", ids.size(), properties.nodeId());
        }
        requeueStale();
    }

    @Scheduled(initialDelayString = "${hub.processing.recovery-interval-seconds:30}000",
            fixedDelayString = "${hub.processing.recovery-interval-seconds:30}000")
    public void sweep() {
        List<String> expired = repository.rescheduleExpiredLeases(properties.nodeId());
        expired.forEach(queue::enqueue);
        if (!expired.isEmpty()) {
            LOG.warn("Took over {} submission(s) whose executing node's lease expired", expired.size());
        }
        requeueStale();
    }

    private void requeueStale() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC)
                .minusSeconds(properties.processing().requeueScheduledAfterSeconds());
        List<String> stale = repository.scheduledNotTouchedSince(before, 1000);
        if (stale.isEmpty()) {
            return;
        }
        // a submission that is only waiting its turn in the queue needs no second wake-up (issue 7, item 10)
        Set<String> waiting = queue.waitingIds();
        int queued = 0;
        repository.touch(stale);
        for (String id : stale) {
            if (!waiting.contains(id)) {
                queue.enqueue(id);
                queued++;
            }
        }
        if (queued > 0) {
            LOG.info("Queued {} Scheduled submission(s) without a waiting queue message again", queued);
        }
    }
}
