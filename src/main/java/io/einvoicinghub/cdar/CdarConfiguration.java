package io.einvoicinghub.cdar;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.inbound.InboundReceipts;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

/** The French life-cycle status messages (CDAR): docs/cdar.md. */
@Configuration
public class CdarConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CdarConfiguration.class);

    @Bean
    public CdarRules cdarRules() {
        return new CdarRules();
    }

    @Bean
    public CdarWriter cdarWriter(UnifiedJsonToXml jsonToXml, HubProperties properties) {
        CdarWriter writer = new CdarWriter(jsonToXml, properties.transformationsDir());
        if (!writer.stylesheetPresent()) {
            LOG.warn("{} is missing from {}: status events will be refused until it is there (received CDAR messages "
                    + "are still read)", CdarWriter.STYLESHEET, properties.transformationsDir().toAbsolutePath());
        }
        return writer;
    }

    @Bean
    public CdarReader cdarReader() {
        return new CdarReader();
    }

    @Bean
    public InvoiceStatuses invoiceStatuses(JdbcTemplate jdbc) {
        return new InvoiceStatuses(jdbc);
    }

    @Bean
    public InvoiceReferences invoiceReferences(JdbcTemplate jdbc, ArtifactStore store) {
        return new InvoiceReferences(jdbc, store);
    }

    @Bean
    public InvoiceStatusRecorder invoiceStatusRecorder(CdarWriter writer, CdarReader reader, CdarRules rules,
                                                       InvoiceStatuses statuses, InvoiceReferences references,
                                                       SubmissionRepository submissions, InboundReceipts receipts,
                                                       ArtifactStore store, JdbcTemplate jdbc) {
        return new InvoiceStatusRecorder(writer, reader, rules, statuses, references, submissions, receipts, store, jdbc);
    }

    /** The Schematron compiles in about two seconds: before the first status waits for it, like the features' rules. */
    @Bean
    public WarmUp cdarRulesWarmUp(CdarRules rules, @Value("${hub.validation.warm-up-enabled:true}") boolean enabled) {
        return new WarmUp(rules, enabled);
    }

    public record WarmUp(CdarRules rules, boolean enabled) {
        @EventListener(ApplicationReadyEvent.class)
        public void warmUp() {
            if (!enabled) {
                return;
            }
            Thread t = new Thread(() -> {
                long start = System.currentTimeMillis();
                try {
                    rules.warmUp();
                    LOG.info("Rule set {} ready in {} ms", rules.ruleSetId(), System.currentTimeMillis() - start);
                } catch (Exception e) {
                    LOG.warn("Warm-up of rule set {} failed: {}", rules.ruleSetId(), e.getMessage());
                }
            }, "cdar-rules-warm-up");
            t.setDaemon(true);
            t.start();
        }
    }
}
