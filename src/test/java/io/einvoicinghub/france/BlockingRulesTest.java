package io.einvoicinghub.france;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.TrialSteps;
import io.einvoicinghub.processing.action.ValidateAction;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.FindingSourceMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * validate's {@code blockingRules}: the warnings of the named rules become errors (they fail the run and the stored
 * report says invalid); other warnings and the rule set's own errors are left as they are.
 */
class BlockingRulesTest {

    private final ValidateAction validate = new ValidateAction(FeatureRendering.RULES, FindingSourceMapper.fromClasspath(),
            new HubProperties(Path.of("data"), Path.of("routes"), Path.of("transformations"), "test", null, null, null));

    private TrialSteps validated(Map<String, String> parameters) throws Exception {
        byte[] cii = FeatureRendering.render(PinnedFeature.FR_CII,
                FeatureRendering.read(Path.of("samples/france/invalid/03-unknown-billing-framework.json")));
        TrialSteps steps = new TrialSteps().document("fr-cii.xml", "application/xml", cii);
        steps.run(validate, parameters);
        return steps;
    }

    @Test
    void withoutItABrFrFindingIsAWarningAndTheDocumentPasses() throws Exception {
        TrialSteps steps = validated(Map.of("ruleSet", "fr.ctc:cii:1.3"));
        assertThat(steps.trial().findings()).filteredOn(f -> f.ruleId().equals("BR-FR-08_BT-23"))
                .extracting(Finding::severity).containsExactly(Finding.Severity.WARNING);
        assertThat(steps.state().blocking).isZero();
    }

    @Test
    void withItTheSameFindingIsAnErrorAndTheReportSaysInvalid() throws Exception {
        TrialSteps steps = validated(Map.of("ruleSet", "fr.ctc:cii:1.3", "blockingRules", "BR-FR-.*"));
        assertThat(steps.trial().findings()).filteredOn(f -> f.ruleId().equals("BR-FR-08_BT-23"))
                .extracting(Finding::severity).containsExactly(Finding.Severity.ERROR);
        assertThat(steps.state().blocking).isEqualTo(1);
        String report = new String(steps.file("validation-fr.ctc_cii_1.3.json"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(report).contains("\"valid\" : false").contains("\"severity\" : \"ERROR\"");
    }

    @Test
    void aRuleOutsideThePatternStaysAWarning() throws Exception {
        TrialSteps steps = validated(Map.of("ruleSet", "fr.ctc:cii:1.3", "blockingRules", "BR-FR-CO-.*"));
        assertThat(steps.trial().findings()).filteredOn(f -> f.ruleId().equals("BR-FR-08_BT-23"))
                .extracting(Finding::severity).containsExactly(Finding.Severity.WARNING);
        assertThat(steps.state().blocking).isZero();
    }

    @Test
    void aPatternThatIsNotARegularExpressionStopsTheHubAtStart() {
        Map<String, String> declared = new LinkedHashMap<>(Map.of("ruleSet", "fr.ctc:cii:1.3", "blockingRules", "BR-FR-(*"));
        assertThat(validate.problems(StepParameters.of(validate.spec(), declared)))
                .singleElement().asString().startsWith("blockingRules is not a regular expression");
    }
}
