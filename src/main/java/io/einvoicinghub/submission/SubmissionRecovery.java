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
        for (String id : stale) {
            repository.touch(id);
            queue.enqueue(id);
        }
        if (!stale.isEmpty()) {
            LOG.info("Queued {} long-waiting Scheduled submission(s) again", stale.size());
        }
    }
}
