package io.einvoicinghub.validation;

import io.einvoicinghub.transform.UnifiedJsonToXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.util.List;

@Configuration
public class ValidationConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationConfiguration.class);

    @Bean
    public OfficialRulesValidator officialRulesValidator() {
        return new OfficialRulesValidator();
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
    public RuleSetWarmUp ruleSetWarmUp(OfficialRulesValidator validator,
                                       @Value("${hub.validation.warm-up:}") List<String> ruleSets) {
        return new RuleSetWarmUp(validator, ruleSets);
    }

    public static class RuleSetWarmUp {
        private final OfficialRulesValidator validator;
        private final List<String> ruleSets;

        RuleSetWarmUp(OfficialRulesValidator validator, List<String> ruleSets) {
            this.validator = validator;
            this.ruleSets = ruleSets;
        }

        @EventListener(ApplicationReadyEvent.class)
        public void warmUp() {
            Thread warmUp = new Thread(() -> {
                for (String ruleSet : ruleSets) {
                    if (ruleSet.isBlank()) {
                        continue;
                    }
                    long start = System.currentTimeMillis();
                    try {
                        validator.validate(ruleSet, SecureXml.parse("<Invoice/>".getBytes()));
                        LOG.info("Rule set {} ready in {} ms", ruleSet, System.currentTimeMillis() - start);
                    } catch (Exception e) {
                        LOG.warn("Warm-up of rule set {} failed: {}", ruleSet, e.getMessage());
                    }
                }
            }, "rule-set-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }
}
