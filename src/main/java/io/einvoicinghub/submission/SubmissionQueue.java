package io.einvoicinghub.submission;

import io.einvoicinghub.HubProperties;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.jms.TextMessage;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;

/**
 * Puts submission ids on the durable JMS queue. The database row is the source of truth; a message is only
 * a wake-up call, so a lost send is repaired by {@link SubmissionRecovery} and a duplicate is harmless.
 */
@Component
public class SubmissionQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionQueue.class);

    private final ProducerTemplate producer;
    private final String endpoint;
    private final JmsTemplate jms;
    private final String queueName;

    public SubmissionQueue(ProducerTemplate producer, HubProperties properties, JmsTemplate jms) {
        this.producer = producer;
        this.endpoint = "jms:queue:" + properties.processing().queue() + "?deliveryPersistent=true";
        this.jms = jms;
        this.queueName = properties.processing().queue();
    }

    /**
     * The ids whose wake-up is waiting in the queue now (a browse: messages already handed to a consumer are
     * not listed). Empty when the broker cannot be browsed; the caller then re-queues as before.
     */
    public Set<String> waitingIds() {
        try {
            Set<String> ids = jms.browse(queueName, (session, browser) -> {
                Set<String> found = new HashSet<>();
                Enumeration<?> messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    if (messages.nextElement() instanceof TextMessage text) {
                        found.add(text.getText());
                    }
                }
                return found;
            });
            return ids == null ? Set.of() : ids;
        } catch (RuntimeException e) {
            LOG.debug("Could not browse queue {} ({})", queueName, e.getMessage());
            return Set.of();
        }
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
