package io.einvoicinghub.processing.action;

import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/** {@code store-file}: stores the current document, or a run variable's text, as a named file of the run. */
@Component
public class StoreFileAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("store-file", "Store the current document or a variable as a file of the run")
            .parameter(ParameterSpec.required("name", ParameterSpec.Type.STRING, "file name in storage"))
            .parameter(ParameterSpec.optional("variable", ParameterSpec.Type.STRING, null,
                    "store this run variable's text instead of the current document"))
            .parameter(ParameterSpec.optional("contentType", ParameterSpec.Type.STRING, "application/xml", "media type"))
            .parameter(ParameterSpec.optional("kind", ParameterSpec.Type.STRING, "output",
                    "kind shown in the log (output, request, response, receipt, ...)"))
            .build();

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) {
        StepParameters p = step.parameters();
        String variable = p.get("variable").orElse(null);
        byte[] content;
        if (variable == null) {
            content = step.document();
        } else {
            String value = step.variable(variable);
            if (value == null) {
                throw new IllegalStateException("Variable '" + variable + "' is not set in this run");
            }
            content = value.getBytes(StandardCharsets.UTF_8);
        }
        step.storeFile(p.require("name"), p.require("kind"), p.require("contentType"), content);
        return StepResult.done();
    }
}
