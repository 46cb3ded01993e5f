package io.einvoicinghub.feature;

import io.einvoicinghub.processing.action.ActionComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
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

    /**
     * Every rule set named by a route parameter ending in "RuleSet", over all routes, and by the rule-set
     * parameters of the validate steps of plain (not templated) feature routes.
     */
    public static TreeSet<String> allRuleSets(CamelContext camelContext) {
        TreeSet<String> ruleSets = new TreeSet<>();
        for (Endpoint endpoint : camelContext.getEndpoints()) {
            if (endpoint instanceof ActionComponent.ActionEndpoint action && "validate".equals(action.action().spec().name())) {
                action.parameters().declared().forEach((name, value) -> {
                    if (name.equals("ruleSet") || name.endsWith("RuleSet")) {
                        ruleSets.add(value);
                    }
                });
            }
        }
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
