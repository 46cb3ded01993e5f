package io.einvoicinghub.submission;

import io.einvoicinghub.HubProperties;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Puts submission ids on the durable JMS queue. The database row is the source of truth; a message is only
 * a wake-up call, so a lost send is repaired by {@link SubmissionRecovery} and a duplicate is harmless.
 */
@Component
public class SubmissionQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionQueue.class);

    private final ProducerTemplate producer;
    private final String endpoint;

    public SubmissionQueue(ProducerTemplate producer, HubProperties properties) {
        this.producer = producer;
        this.endpoint = "jms:queue:" + properties.processing().queue() + "?deliveryPersistent=true";
    }

    /** @return false when the broker refused the message; the submission then waits for recovery */
    public boolean enqueue(String submissionId) {
        try {
            producer.sendBody(endpoint, submissionId);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not queue submission {} ({}); recovery will queue it again", submissionId, e.getMessage());
            return false;
        }
    }
}
