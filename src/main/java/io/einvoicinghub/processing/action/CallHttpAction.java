package io.einvoicinghub.processing.action;

import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.SecretStore;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code call-http}: sends the current document (or a variable, or nothing) to a service, e.g. an
 * authority's submission endpoint. With {@code idempotencyHeader} the run's stable reference goes along, so
 * a repeat after an unknown outcome (time-out, crash) is recognised by the service; without it a POST whose
 * outcome is unknown is not sent again blindly: the step fails and says why.
 */
@Component
public class CallHttpAction implements Action {

    private static final Set<String> REPEATABLE = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private static final ActionSpec SPEC;

    static {
        ActionSpec.Builder b = ActionSpec.of("call-http", "Call an HTTP service (authority, network, ERP) with the current document")
                .externalEffect()
                .parameter(ParameterSpec.required("url", ParameterSpec.Type.STRING, "service URL; may use ${variables}"))
                .parameter(ParameterSpec.oneOf("method", "POST", "HTTP method", "POST", "PUT", "GET", "DELETE", "PATCH"))
                .parameter(ParameterSpec.oneOf("body", "document", "what is sent: the current document, a variable's text, or nothing",
                        "document", "variable", "none"))
                .parameter(ParameterSpec.optional("bodyVariable", ParameterSpec.Type.STRING, null, "the variable sent when body=variable"))
                .parameter(ParameterSpec.optional("contentType", ParameterSpec.Type.STRING, "application/xml", "media type of the body"))
                .parameter(ParameterSpec.optional("idempotencyHeader", ParameterSpec.Type.STRING, null,
                        "header that carries the run's stable reference (submission id) so the service can drop repeats"))
                .parameter(ParameterSpec.optional("responseVariable", ParameterSpec.Type.STRING, "response",
                        "variable that keeps the answer's body for later steps"));
        HttpExchange.PARAMETERS.forEach(b::parameter);
        SPEC = b.build();
    }

    private final HttpExchange http;

    public CallHttpAction(SecretStore secrets, KeyMaterials keys) {
        this.http = new HttpExchange(secrets, keys);
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        String method = p.require("method");
        String idempotencyHeader = p.get("idempotencyHeader").orElse(null);
        String uncertain = step.step() + ".outcomeUnknown";
        boolean mayHaveReached = (step.attempt() == 1 && step.outcomeUnknown()) || "true".equals(step.variable(uncertain));
        if (mayHaveReached && idempotencyHeader == null && !REPEATABLE.contains(method)) {
            throw new StepFailure.Permanent("the earlier " + method + " to " + HttpExchange.hostOf(p.require("url"))
                    + " may have reached the service (no answer); it is not sent again without an idempotencyHeader. "
                    + "Check with the service, then resubmit");
        }
        byte[] body = switch (p.require("body")) {
            case "document" -> step.document();
            case "variable" -> {
                String value = step.variable(p.require("bodyVariable"));
                if (value == null) {
                    throw new StepFailure.Permanent("variable '" + p.require("bodyVariable") + "' is not set");
                }
                yield value.getBytes(StandardCharsets.UTF_8);
            }
            default -> null;
        };
        HttpExchange.Answer answer;
        try {
            answer = http.send(step, method, p.require("url"), body, p.require("contentType"), step.step(),
                    idempotencyHeader, step.submission().id());
        } catch (StepFailure.Transient e) {
            // a time-out or reset after sending leaves the outcome unknown; a 5xx/429 answer does not
            step.setVariable(uncertain, String.valueOf(!e.getMessage().startsWith("HTTP ") && !e.getMessage().startsWith("cannot connect")));
            throw e;
        }
        step.state().variables.remove(uncertain);
        step.setVariable(p.require("responseVariable"), answer.text());
        answer.json().ifPresent(json -> {
            try {
                HttpExchange.extract(step, json);
            } catch (StepFailure e) {
                throw new IllegalStateException(e.getMessage());
            }
        });
        return StepResult.done();
    }
}
