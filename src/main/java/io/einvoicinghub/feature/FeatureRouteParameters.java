package io.einvoicinghub.feature;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The route-template parameters a feature's route was built with: its parameters as the API shows them. */
public final class FeatureRouteParameters {

    private FeatureRouteParameters() {
    }

    /** @return the parameters of route {@code routeId} by their camelCase names; empty for a plain route */
    public static Map<String, String> of(CamelContext camelContext, String routeId) {
        Map<String, String> parameters = new TreeMap<>();
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
        if (route != null && route.getTemplateParameters() != null) {
            // Camel keeps each parameter under its camelCase and its kebab-case name; keep one
            route.getTemplateParameters().forEach((name, value) -> {
                if (!name.contains("-") && value != null) {
                    parameters.put(name, value.toString());
                }
            });
        }
        return parameters;
    }

    /** Every rule set named by a route parameter ending in "RuleSet", over all routes. */
    public static TreeSet<String> allRuleSets(CamelContext camelContext) {
        TreeSet<String> ruleSets = new TreeSet<>();
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteDefinition route : model.getRouteDefinitions()) {
            of(camelContext, route.getRouteId()).forEach((name, value) -> {
                if (name.endsWith("RuleSet")) {
                    ruleSets.add(value);
                }
            });
        }
        return ruleSets;
    }
}
