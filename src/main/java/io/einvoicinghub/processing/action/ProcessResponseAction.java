package io.einvoicinghub.processing.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.submission.Verdict;
import io.einvoicinghub.validation.Finding;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code process-response}: reads the authority's answer (a JSON variable) and records what it means:
 * the verdict (Accepted or Rejected), authority outputs (e.g. the KSeF number), variables for later steps,
 * and on a rejection the authority's own codes and messages as findings. The run then ends Completed with
 * that verdict: the hub did its work, the authority decided.
 */
@Component
public class ProcessResponseAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("process-response",
                    "Map the authority's answer to the verdict, authority outputs, variables and findings")
            .parameter(ParameterSpec.optional("source", ParameterSpec.Type.STRING, "response", "variable holding the JSON answer"))
            .parameter(ParameterSpec.required("verdictPointer", ParameterSpec.Type.STRING,
                    "JSON pointer of the value that decides the verdict, e.g. /status/code"))
            .parameter(ParameterSpec.required("acceptedValues", ParameterSpec.Type.STRING, "comma-separated values meaning accepted"))
            .parameter(ParameterSpec.required("rejectedValues", ParameterSpec.Type.STRING, "comma-separated values meaning rejected"))
            .parameter(ParameterSpec.optional("findingsPointer", ParameterSpec.Type.STRING, null,
                    "JSON pointer of the array of the authority's errors (on rejection)"))
            .parameter(ParameterSpec.optional("findingCodePointer", ParameterSpec.Type.STRING, "/code", "code within one error"))
            .parameter(ParameterSpec.optional("findingMessagePointer", ParameterSpec.Type.STRING, "/message",
                    "message within one error"))
            .parameter(ParameterSpec.optional("messagePointer", ParameterSpec.Type.STRING, null,
                    "JSON pointer of the authority's overall message (status message of the run)"))
            .parameter(ParameterSpec.family("variable.", "run variables: variable.<name>=<JSON pointer>"))
            .parameter(ParameterSpec.family("output.", "authority outputs on acceptance: output.<name>=<JSON pointer>"))
            .build();

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        String source = p.require("source");
        String text = step.variable(source);
        if (text == null) {
            throw new StepFailure.Permanent("variable '" + source + "' holds no answer");
        }
        JsonNode json;
        try {
            json = UnifiedJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new StepFailure.Permanent("the answer in '" + source + "' is not JSON");
        }
        String value = json.at(p.require("verdictPointer")).asText(null);
        String message = p.get("messagePointer").map(ptr -> json.at(ptr).asText(null)).orElse(null);
        if (p.getList("acceptedValues").contains(value)) {
            step.state().verdict = Verdict.Accepted;
            HttpExchange.extract(step, json);
            step.state().outcomeMessage = "Accepted by the authority" + (message == null ? "" : ": " + message);
        } else if (p.getList("rejectedValues").contains(value)) {
            step.state().verdict = Verdict.Rejected;
            List<Finding> findings = new ArrayList<>();
            p.get("findingsPointer").ifPresent(ptr -> json.at(ptr).forEach(error -> findings.add(new Finding("authority",
                    error.at(p.require("findingCodePointer")).asText(value), Finding.Severity.ERROR,
                    error.at(p.require("findingMessagePointer")).asText(""), null, null))));
            if (findings.isEmpty()) {
                findings.add(new Finding("authority", value, Finding.Severity.ERROR, message == null ? "Rejected" : message, null, null));
            }
            step.addFindings(findings);
            step.state().outcomeMessage = "Rejected by the authority: " + findings.stream()
                    .map(f -> f.ruleId() + " " + f.message()).reduce((a, b) -> a + "; " + b).orElse(value);
        } else {
            throw new StepFailure.Permanent("unexpected answer: " + p.require("verdictPointer") + " = " + value);
        }
        for (var e : p.family("variable.").entrySet()) {
            JsonNode v = json.at(e.getValue());
            if (!v.isMissingNode()) {
                step.setVariable(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return StepResult.done();
    }
}
