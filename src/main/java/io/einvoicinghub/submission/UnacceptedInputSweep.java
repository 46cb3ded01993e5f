package io.einvoicinghub.submission;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.storage.ArtifactStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Removes the input files of intakes that never got their submission row: at start-up those this node left
 * behind when it was killed, then periodically those of any node after a grace period (another node may
 * still be in the middle of its intake). A prefix a row refers to is never touched.
 */
@Component
public class UnacceptedInputSweep {

    private static final Logger LOG = LoggerFactory.getLogger(UnacceptedInputSweep.class);
    private static final int BATCH = 500;

    private final IntakeJournal journal;
    private final ArtifactStore store;
    private final HubProperties properties;
    private final long graceSeconds;
    /** Taken before the API accepts requests: this node's older entries belong to a dead process. */
    private final OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);

    public UnacceptedInputSweep(IntakeJournal journal, ArtifactStore store, HubProperties properties,
                                @Value("${hub.api.unaccepted-input-grace-seconds:600}") long graceSeconds) {
        this.journal = journal;
        this.store = store;
        this.properties = properties;
        this.graceSeconds = graceSeconds;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void sweepOwnLeftovers() {
        sweep(journal.startedBefore(properties.nodeId(), startedAt, BATCH), "left by the previous process");
    }

    @Scheduled(initialDelayString = "${hub.processing.recovery-interval-seconds:30}000",
            fixedDelayString = "${hub.processing.recovery-interval-seconds:30}000")
    public void sweepExpired() {
        sweep(journal.startedBefore(null, OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(graceSeconds), BATCH),
                "older than " + graceSeconds + " s");
    }

    private void sweep(List<String> prefixes, String why) {
        int files = 0;
        for (String prefix : prefixes) {
            try {
                files += remove(prefix);
            } catch (RuntimeException e) {
                LOG.warn("Cannot remove the unaccepted input under {} yet: {}", prefix, e.toString());
            }
        }
        if (!prefixes.isEmpty()) {
            LOG.warn("Removed {} file(s) of {} intake(s) that never became a submission ({})", files, prefixes.size(), why);
        }
    }

    /** Deletes the files of one unaccepted intake, then its journal entry. */
    int remove(String prefix) {
        int removed = journal.accepted(prefix) ? 0 : store.deleteUnaccepted(prefix);
        journal.end(prefix);
        return removed;
    }
}
