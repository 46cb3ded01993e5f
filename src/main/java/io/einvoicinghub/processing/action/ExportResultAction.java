package io.einvoicinghub.processing.action;

import io.einvoicinghub.processing.RunState;
import org.springframework.stereotype.Component;

/**
 * {@code export-result}: names the file the ERP gets as the run's result (listed with kind {@code result});
 * without a name, the current document.
 */
@Component
public class ExportResultAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("export-result", "Mark which stored file is the result the ERP takes")
            .parameter(ParameterSpec.optional("name", ParameterSpec.Type.STRING, null,
                    "file name of a file stored earlier in this run; default the current document"))
            .build();

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) {
        String name = step.parameters().get("name").orElse(step.documentName());
        if (name == null) {
            throw new IllegalStateException("export-result: no file name given and no current document");
        }
        RunState.Document document = step.state().document;
        if (document == null || !name.equals(document.name())) {
            throw new IllegalStateException("export-result: '" + name + "' is not the current document of this run");
        }
        step.state().resultName = name;
        step.storeFile(name, "result", document.contentType(), step.document());
        return StepResult.done();
    }
}
