package io.einvoicinghub.processing.action;

import io.einvoicinghub.sequence.NumberSequences;
import org.springframework.stereotype.Component;

import java.time.Year;

/**
 * {@code next-number}: takes the next number of a persistent sequence of the submission's legal entity and
 * keeps it, formatted, in a variable (file names, progressive numbers). A step that runs again gets the
 * same number.
 */
@Component
public class NextNumberAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("next-number", "Take the next number of a sequence per legal entity")
            .parameter(ParameterSpec.required("sequence", ParameterSpec.Type.STRING, "sequence name, e.g. ksef-batch"))
            .parameter(ParameterSpec.required("variable", ParameterSpec.Type.STRING, "variable that receives the formatted number"))
            .parameter(ParameterSpec.optional("format", ParameterSpec.Type.STRING, "%d",
                    "java.util.Formatter pattern for the number; {yyyy} is the current year, e.g. INV-{yyyy}-%06d"))
            .build();

    private final NumberSequences sequences;

    public NextNumberAction(NumberSequences sequences) {
        this.sequences = sequences;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) {
        StepParameters p = step.parameters();
        long number = sequences.next(step.submission().legalEntity(), p.require("sequence"), step.submission().id(),
                step.submission().runNo(), step.step());
        String format = p.require("format").replace("{yyyy}", String.valueOf(Year.now().getValue()));
        step.setVariable(p.require("variable"), String.format(format, number));
        return StepResult.done();
    }
}
