package io.einvoicinghub.processing.action;

import io.einvoicinghub.facturx.FacturXEmbedder;
import io.einvoicinghub.facturx.FacturXProfile;
import org.springframework.stereotype.Component;

/**
 * {@code embed-in-pdf}: the current document (a CII invoice) becomes a Factur-X / ZUGFeRD hybrid PDF/A-3 of the
 * given profile (built with Mustang, decision 0014); the PDF is stored and becomes the current document, so
 * {@code export-result} can hand it to the ERP.
 */
@Component
public class EmbedInPdfAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("embed-in-pdf",
                    "Embed the current CII document in a PDF/A-3 (Factur-X / ZUGFeRD) that shows the invoice; stores the PDF as the current document")
            .parameter(ParameterSpec.oneOf("profile", null,
                    "Factur-X / ZUGFeRD profile written into the XMP and naming the embedded file", FacturXProfile.names()))
            .parameter(ParameterSpec.optional("outputName", ParameterSpec.Type.STRING, "factur-x.pdf", "file name of the PDF in storage"))
            .build();

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
        byte[] visual = embedder.render(cii);
        byte[] pdf = embedder.embed(cii, profile, visual);
        step.storeDocument(p.require("outputName"), "output", "application/pdf", pdf);
        return StepResult.done();
    }
}
