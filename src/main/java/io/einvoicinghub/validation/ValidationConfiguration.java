package io.einvoicinghub.validation;

import io.einvoicinghub.transform.UnifiedJsonToXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.util.Set;
import org.apache.camel.CamelContext;
import io.einvoicinghub.feature.FeatureRouteParameters;

@Configuration
public class ValidationConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationConfiguration.class);

    /** Closed with the context (its threads for the layers of large documents). */
    @Bean
    public OfficialRulesValidator officialRulesValidator(
            @Value("${hub.validation.parallel-layers-from-nodes:" + OfficialRulesValidator.DEFAULT_PARALLEL_LAYERS_FROM_NODES + "}")
            int parallelLayersFromNodes) {
        return new OfficialRulesValidator(parallelLayersFromNodes);
    }

    @Bean
    public FindingSourceMapper findingSourceMapper() {
        return FindingSourceMapper.fromClasspath();
    }

    @Bean
    public UnifiedJsonToXml unifiedJsonToXml() {
        return new UnifiedJsonToXml();
    }

    /** Compiling a Schematron takes seconds; do it before the first document waits for it. */
    @Bean
    public RuleSetWarmUp ruleSetWarmUp(OfficialRulesValidator validator, CamelContext camelContext,
                                       @Value("${hub.validation.warm-up-enabled:true}") boolean enabled) {
        return new RuleSetWarmUp(validator, camelContext, enabled);
    }

    /** Compiles, in the background at start-up, every rule set that an installed feature route names. */
    public static class RuleSetWarmUp {
        private final OfficialRulesValidator validator;
        private final CamelContext camelContext;
        private final boolean enabled;

        RuleSetWarmUp(OfficialRulesValidator validator, CamelContext camelContext, boolean enabled) {
            this.validator = validator;
            this.camelContext = camelContext;
            this.enabled = enabled;
        }

        @EventListener(ApplicationReadyEvent.class)
        public void warmUp() {
            if (!enabled) {
                return;
            }
            Set<String> ruleSets = FeatureRouteParameters.allRuleSets(camelContext);
            Thread warmUp = new Thread(() -> {
                long begin = System.currentTimeMillis();
                for (String ruleSet : ruleSets) {
                    long start = System.currentTimeMillis();
                    try {
                        validator.warmUp(ruleSet);
                        LOG.info("Rule set {} ready in {} ms", ruleSet, System.currentTimeMillis() - start);
                    } catch (Exception e) {
                        LOG.warn("Warm-up of rule set {} failed: {}", ruleSet, e.getMessage());
                    }
                }
                // one line to wait for (bench/run.sh): several features share rule sets, others have none
                LOG.info("Rule-set warm-up done: {} rule sets in {} ms", ruleSets.size(), System.currentTimeMillis() - begin);
            }, "rule-set-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }
}
