package io.einvoicinghub.facturx;

import io.einvoicinghub.processing.action.EmbedInPdfAction;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.TrialSteps;
import io.einvoicinghub.processing.action.ValidatePdfAction;
import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.validation.Finding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * validate-pdf: Mustang's validator inside the hub (its own class loader, loaded from hub.facturx.validator-dir) turns
 * its report into findings — veraPDF's failed PDF/A clauses, Mustang's XML messages — and stores the report; errors
 * block the run.
 */
class ValidatePdfActionTest {

    static MustangValidator validator;
    static byte[] cii;
    final FacturXEmbedder embedder = new FacturXEmbedder();

    @BeforeAll
    static void load() throws Exception {
        validator = new MustangValidator(IsolatedMustangValidator.LIB.toString());
        cii = FeatureRendering.render(PinnedFeature.EN16931_CII, FeatureRendering.read(FacturXHybridTest.SAMPLE));
    }

    @AfterAll
    static void close() throws Exception {
        validator.close();
    }

    static TrialSteps pdf(byte[] content) {
        return new TrialSteps().document("factur-x.pdf", "application/pdf", content);
    }

    @Test
    void aHybridTheHubBuiltHasNoBlockingFindingAndItsReportIsStored() throws Exception {
        TrialSteps steps = pdf(embedder.embed(cii, FacturXProfile.EN16931, embedder.render(cii)));
        steps.run(new ValidatePdfAction(validator), Map.of());
        assertThat(steps.trial().findings()).as(steps.trial().findings().toString()).noneMatch(Finding::isBlocking);
        assertThat(steps.state().blocking).isZero();
        assertThat(new String(steps.file("pdf-validation.xml"), StandardCharsets.UTF_8)).contains("<summary status=\"valid\"/>");
    }

    @Test
    void aPdfThatIsNotPdfA3GivesTheFailedClausesAsBlockingFindings() throws Exception {
        TrialSteps steps = pdf(embedder.render(cii)); // the visual alone: no XMP, no output intent, no embedded XML
        steps.run(new ValidatePdfAction(validator), Map.of("reportName", "check.xml"));
        List<Finding> findings = steps.trial().findings();
        assertThat(findings).anyMatch(f -> f.layer().equals("PDF/A-3") && f.isBlocking() && f.ruleId().startsWith("ISO 19005"));
        assertThat(findings).anyMatch(f -> f.layer().equals("PDF/A-3") && f.message().contains("Not a PDF/A-3"));
        assertThat(steps.state().blocking).isPositive();
        assertThat(new String(steps.file("check.xml"), StandardCharsets.UTF_8)).contains("<summary status=\"invalid\"/>");
    }

    @Test
    void whenTheVisualWasTheErpsPdfTheFirstFindingSaysSo() throws Exception {
        TrialSteps steps = pdf(embedder.render(cii));
        steps.state().variables.put(EmbedInPdfAction.VISUAL_VARIABLE, "submission:erp-invoice.pdf");
        steps.run(new ValidatePdfAction(validator), Map.of());
        Finding first = steps.trial().findings().get(0);
        assertThat(first.ruleId()).isEqualTo("FACTURX-VISUAL-NOT-PDFA3");
        assertThat(first.message()).contains("The ERP's PDF 'erp-invoice.pdf' could not be made a valid PDF/A-3");
    }

    @Test
    void aBrokenEmbeddedCiiIsAnXmlFinding() throws Exception {
        String broken = new String(cii, StandardCharsets.UTF_8).replaceFirst("(<rsm:ExchangedDocument>\\s*)<ram:ID>[^<]*</ram:ID>", "$1");
        TrialSteps steps = pdf(embedder.embed(broken.getBytes(StandardCharsets.UTF_8), FacturXProfile.EN16931, embedder.render(cii)));
        steps.run(new ValidatePdfAction(validator), Map.of());
        assertThat(steps.trial().findings()).as(steps.trial().findings().toString())
                .anyMatch(f -> f.layer().equals("Factur-X XML") && f.isBlocking());
        assertThat(steps.trial().findings()).noneMatch(f -> f.layer().equals("PDF/A-3") && f.isBlocking());
    }

    @Test
    void aMissingValidatorFailsTheStepNamingTheSetting(@TempDir Path empty) {
        MustangValidator absent = new MustangValidator(empty.toString());
        assertThat(absent.installed()).isFalse();
        assertThatThrownBy(() -> pdf(new byte[]{1}).run(new ValidatePdfAction(absent), Map.of()))
                .isInstanceOf(StepFailure.Permanent.class).hasMessageContaining("hub.facturx.validator-dir")
                .hasMessageContaining("tools/mustang-validator/pom.xml");
    }
}
