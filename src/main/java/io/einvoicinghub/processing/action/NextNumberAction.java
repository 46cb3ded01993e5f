package io.einvoicinghub.processing.action;

import io.einvoicinghub.sequence.NumberSequences;
import org.springframework.stereotype.Component;

import java.time.Year;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            .parameter(ParameterSpec.oneOf("scope", "legalEntity",
                    "legalEntity: one sequence per legal entity; global: one sequence the legal entities share (e.g. per SDI transmitter)",
                    "legalEntity", "global"))
            .parameter(ParameterSpec.oneOf("alphabet", "decimal",
                    "decimal, or base36 (0-9 then A-Z, upper case): the %d / %0Nd of format then takes the base-36 digits, zero-padded",
                    "decimal", "base36"))
            .build();

    /** The legal-entity key of sequences shared by all legal entities. */
    static final String GLOBAL_SCOPE = "*";
    private static final Pattern NUMBER_CONVERSION = Pattern.compile("%(0(\\d+))?d");

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
        String owner = "global".equals(p.require("scope")) ? GLOBAL_SCOPE : step.submission().legalEntity();
        long number = sequences.next(owner, p.require("sequence"), step.submission().id(), step.submission().runNo(), step.step());
        String format = p.require("format").replace("{yyyy}", String.valueOf(Year.now().getValue()));
        step.setVariable(p.require("variable"), "base36".equals(p.require("alphabet")) ? base36(format, number)
                : String.format(format, number));
        return StepResult.done();
    }

    /** The format with each %d / %0Nd replaced by the number in base 36, zero-padded to N. */
    static String base36(String format, long number) {
        String digits = Long.toString(number, 36).toUpperCase(Locale.ROOT);
        Matcher m = NUMBER_CONVERSION.matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int width = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement("0".repeat(Math.max(0, width - digits.length())) + digits));
        }
        m.appendTail(out);
        return out.toString();
    }
}
