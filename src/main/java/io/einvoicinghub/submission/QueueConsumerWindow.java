package io.einvoicinghub.submission;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.DelegatingConnectionFactory;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Consumers take one queue message at a time instead of buffering up to a megabyte of them (Artemis'
 * default consumer window). A buffered message cannot be browsed, so with a backlog the recovery sweep
 * ({@link SubmissionRecovery}) took every waiting submission for one whose message was lost and queued it
 * again, every sweep; and with several hub instances, the first to connect would hoard the backlog. A window
 * set explicitly (e.g. {@code ?consumerWindowSize=...} in the external broker's URL) is left as it is.
 */
@Component
public class QueueConsumerWindow implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Object target = bean;
        while (true) {
            if (target instanceof SingleConnectionFactory single && single.getTargetConnectionFactory() != null) {
                target = single.getTargetConnectionFactory();
            } else if (target instanceof DelegatingConnectionFactory delegating && delegating.getTargetConnectionFactory() != null) {
                target = delegating.getTargetConnectionFactory();
            } else {
                break;
            }
        }
        if (target instanceof ActiveMQConnectionFactory artemis
                && artemis.getConsumerWindowSize() == ActiveMQClient.DEFAULT_CONSUMER_WINDOW_SIZE) {
            artemis.setConsumerWindowSize(0);
        }
        return bean;
    }
}
