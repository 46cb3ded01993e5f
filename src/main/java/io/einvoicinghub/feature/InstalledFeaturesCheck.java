package io.einvoicinghub.feature;

import io.einvoicinghub.validation.OfficialRulesValidator;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start a hub whose features cannot work: a descriptor without its route, or a route naming a
 * rule set that does not exist. Better an operator reads it at start-up than an ERP finds it in a Failed log.
 */
@Component
public class InstalledFeaturesCheck implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(InstalledFeaturesCheck.class);

    private final FeatureRegistry features;
    private final CamelContext camelContext;
    private final OfficialRulesValidator validator;

    public InstalledFeaturesCheck(FeatureRegistry features, CamelContext camelContext, OfficialRulesValidator validator) {
        this.features = features;
        this.camelContext = camelContext;
        this.validator = validator;
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
    }

    private volatile List<String> problemsAtStart = List.of();

    /** Runs once Camel has started every route (Camel only logs what is thrown here, so the verdict waits). */
    @Override
    public void afterApplicationStart(CamelContext context) {
        problemsAtStart = problems();
    }

    /** Failing here makes Spring Boot close the context and the process exit, with the reasons in the log. */
    @EventListener(ApplicationReadyEvent.class)
    public void refuseToRunMisconfigured() {
        failOn(problemsAtStart);
    }

    public void verify() {
        failOn(problems());
    }

    private void failOn(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Installed features are misconfigured: " + String.join("; ", problems));
        }
        LOG.info("{} feature(s) installed and checked: {}", features.all().size(),
                features.all().stream().map(f -> f.id() + " " + f.version()).toList());
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (FeatureDescriptor feature : features.all()) {
            if (camelContext.getRoute(feature.routeId()) == null) {
                problems.add("feature '" + feature.id() + "' has no route '" + feature.routeId() + "' (expected in "
                        + feature.folder() + ")");
                continue;
            }
            FeatureRouteParameters.of(camelContext, feature.routeId()).forEach((name, value) -> {
                if (name.endsWith("RuleSet") && !validator.knows(value)) {
                    problems.add("feature '" + feature.id() + "' names unknown rule set '" + value + "' in " + name);
                }
            });
        }
        return problems;
    }
}
