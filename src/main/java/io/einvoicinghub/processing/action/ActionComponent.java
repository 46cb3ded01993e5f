package io.einvoicinghub.processing.action;

import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.SecretStore;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Camel component {@code action:<name>?<parameters>} through which feature routes use the catalogue.
 * Endpoints are created when a route starts: an unknown action, a missing required or unknown parameter, a
 * badly typed value or a secret name the secret store does not know stops the hub at start with the reason.
 */
@Component("action")
public class ActionComponent extends DefaultComponent {

    private final ActionCatalogue catalogue;
    private final StepRunner runner;
    private final SecretStore secrets;
    private final KeyMaterials keys;

    public ActionComponent(ActionCatalogue catalogue, @Lazy StepRunner runner, SecretStore secrets, KeyMaterials keys) {
        this.catalogue = catalogue;
        this.runner = runner;
        this.secrets = secrets;
        this.keys = keys;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Action action = catalogue.find(remaining).orElseThrow(() -> new IllegalArgumentException(
                "Unknown action '" + remaining + "' in " + uri + "; the catalogue has " + catalogue.names()));
        Map<String, String> raw = new LinkedHashMap<>();
        parameters.forEach((name, value) -> raw.put(name, unwrapRaw(String.valueOf(value))));
        parameters.clear();
        Map<String, String> checked = StepParameters.check(action.spec(), raw, "in " + uri.replaceAll("\\?.*", ""));
        for (ParameterSpec p : action.spec().allParameters()) {
            String secretName = checked.get(p.name());
            if (p.type() == ParameterSpec.Type.SECRET && secretName != null && !secretName.contains("${")
                    && !secrets.exists(secretName)) {
                throw new IllegalArgumentException("Action '" + remaining + "': parameter '" + p.name()
                        + "' names secret '" + secretName + "', which the secret store (" + secrets.describe()
                        + ") does not have");
            }
            if (p.type() == ParameterSpec.Type.CERTIFICATE && secretName != null && !secretName.contains("${")) {
                for (String certificate : secretName.split("\\s*,\\s*")) {
                    if (!keys.exists(certificate)) {
                        throw new IllegalArgumentException("Action '" + remaining + "': parameter '" + p.name()
                                + "' names certificate '" + certificate + "', which neither the local keystore nor the secret store ("
                                + secrets.describe() + ") has");
                    }
                }
            }
        }
        return new ActionEndpoint(uri, this, action, StepParameters.of(action.spec(), checked));
    }

    private static String unwrapRaw(String value) {
        if ((value.startsWith("RAW(") && value.endsWith(")")) || (value.startsWith("RAW{") && value.endsWith("}"))) {
            return value.substring(4, value.length() - 1);
        }
        return value;
    }

    /** One configured use of an action; its producer hands the exchange to the {@link StepRunner}. */
    public static final class ActionEndpoint extends DefaultEndpoint {
        private final Action action;
        private final StepParameters parameters;

        ActionEndpoint(String uri, ActionComponent component, Action action, StepParameters parameters) {
            super(uri, component);
            this.action = action;
            this.parameters = parameters;
        }

        public Action action() {
            return action;
        }

        public StepParameters parameters() {
            return parameters;
        }

        @Override
        public Producer createProducer() {
            ActionComponent component = (ActionComponent) getComponent();
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    component.runner.run(exchange, action, parameters);
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("action: endpoints are steps, not sources");
        }
    }
}
