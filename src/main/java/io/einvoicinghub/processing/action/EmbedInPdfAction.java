package io.einvoicinghub.processing.action;

import io.einvoicinghub.facturx.ErpVisual;
import io.einvoicinghub.facturx.FacturXEmbedder;
import io.einvoicinghub.facturx.FacturXProfile;
import io.einvoicinghub.submission.UnifiedJson;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * {@code embed-in-pdf}: the current document (a CII invoice) becomes a Factur-X / ZUGFeRD hybrid PDF/A-3 of the
 * given profile (built with Mustang, decision 0014); the PDF is stored and becomes the current document, so
 * {@code export-result} can hand it to the ERP. The visible part is the hub's rendering of the CII, or the ERP's own
 * PDF when the submission marks one ({@link ErpVisual}; one that cannot become PDF/A-3 fails the step with why).
 */
@Component
public class EmbedInPdfAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("embed-in-pdf",
                    "Embed the current CII document in a PDF/A-3 (Factur-X / ZUGFeRD) that shows the invoice; stores the PDF as the current document")
            .parameter(ParameterSpec.oneOf("profile", null,
                    "Factur-X / ZUGFeRD profile written into the XMP and naming the embedded file", FacturXProfile.names()))
            .parameter(ParameterSpec.optional("outputName", ParameterSpec.Type.STRING, "factur-x.pdf", "file name of the PDF in storage"))
            .parameter(ParameterSpec.oneOf("visual", "auto",
                    "the visible part: auto (the ERP's PDF when a supporting document's attachment is marked visualRepresentation, "
                            + "else the hub's rendering), rendered (always the hub's rendering) or submission (the ERP's PDF; "
                            + "a submission without one fails)", "auto", "rendered", "submission"))
            .build();

    /** Run variable: {@code rendered}, or {@code submission:<file name>} when the ERP's PDF is the visible part. */
    public static final String VISUAL_VARIABLE = "facturx.visual";

    private final FacturXEmbedder embedder;

    public EmbedInPdfAction(FacturXEmbedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        FacturXProfile profile = FacturXProfile.valueOf(p.require("profile"));
        byte[] cii = step.document();
        String choice = p.require("visual");
        Optional<ErpVisual> erp;
        try {
            erp = "rendered".equals(choice) ? Optional.empty() : ErpVisual.find(UnifiedJson.parse(step.input()));
            if (erp.isEmpty() && "submission".equals(choice)) {
                throw new StepFailure.Permanent("embed-in-pdf visual=submission: the submission has no supporting document whose "
                        + "attachment is marked visualRepresentation: true");
            }
            if (erp.isPresent()) {
                erp.get().requireConvertible();
            }
        } catch (ErpVisual.NotConvertible e) {
            throw new StepFailure.Permanent(e.getMessage());
        }
        byte[] visual = erp.isPresent() ? erp.get().pdf() : embedder.render(cii);
        step.setVariable(VISUAL_VARIABLE, erp.map(v -> "submission:" + v.filename()).orElse("rendered"));
        byte[] pdf = embedder.embed(cii, profile, visual);
        step.storeDocument(p.require("outputName"), "output", "application/pdf", pdf);
        return StepResult.done();
    }
}
