package io.einvoicinghub.processing.action;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.processing.StepLogNotifier;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.processor.SendProcessor;
import org.apache.camel.processor.StepProcessor;

import java.util.List;

/**
 * What a feature's route does, as the API shows it: its steps in order, each with the catalogue action it uses,
 * the parameters the feature sets (secrets by name only: the route never holds a value) and the action's declared
 * parameters. Read from the running route, so it is what actually runs.
 */
public final class FeaturePipeline {

    private FeaturePipeline() {
    }

    public static ArrayNode steps(Route route) {
        ArrayNode steps = UnifiedJson.mapper().createArrayNode();
        walk(route.navigate(), null, steps);
        return steps;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Navigate<Processor> node, String step, ArrayNode out) {
        if (node == null || !node.hasNext()) {
            return;
        }
        List<Processor> children = node.next();
        if (children == null) {
            return;
        }
        for (Processor p : children) {
            String current = p instanceof StepProcessor s && s.getId() != null ? StepLogNotifier.stepName(s.getId()) : step;
            if (p instanceof SendProcessor send && send.getDestination() instanceof ActionComponent.ActionEndpoint action) {
                out.add(describe(current, action));
            }
            if (p instanceof Navigate<?> nested) {
                walk((Navigate<Processor>) nested, current, out);
            }
        }
    }

    private static ObjectNode describe(String step, ActionComponent.ActionEndpoint endpoint) {
        ActionSpec spec = endpoint.action().spec();
        ObjectNode n = UnifiedJson.mapper().createObjectNode();
        n.put("name", step == null ? spec.name() : step);
        n.put("action", spec.name());
        n.put("description", spec.description());
        n.put("externalEffect", spec.externalEffect());
        ObjectNode configured = n.putObject("configured");
        endpoint.parameters().declared().forEach(configured::put);
        ArrayNode declared = n.putArray("parameters");
        for (ParameterSpec p : spec.allParameters()) {
            ObjectNode d = declared.addObject();
            d.put("name", p.prefix() ? p.name() + "*" : p.name());
            d.put("type", p.type().name().toLowerCase());
            d.put("required", p.required());
            if (p.defaultValue() != null) {
                d.put("default", p.defaultValue());
            }
            d.put("description", p.description());
            if (p.type() == ParameterSpec.Type.SECRET || p.type() == ParameterSpec.Type.CERTIFICATE) {
                d.put("secret", true);
            }
            if (p.allowed() != null && !p.allowed().isEmpty()) {
                p.allowed().forEach(d.putArray("allowed")::add);
            }
        }
        return n;
    }
}
