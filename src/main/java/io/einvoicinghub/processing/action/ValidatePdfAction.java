package io.einvoicinghub.processing.action;

import io.einvoicinghub.facturx.MustangValidator;
import io.einvoicinghub.validation.Finding;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code validate-pdf}: the current document, a Factur-X / ZUGFeRD PDF, through Mustang's validator at run time —
 * veraPDF's PDF/A-3 checks and the XSD and Schematron of the profile its embedded XML declares (Factur-X EN 16931,
 * EXTENDED, XRechnung...). Findings go into the log like {@code validate}'s, the report is stored; an error stops the
 * run before the PDF is exported or sent. When the visible part was the ERP's own PDF, a failed PDF/A check says so.
 */
@Component
public class ValidatePdfAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("validate-pdf",
                    "Validate the current Factur-X / ZUGFeRD PDF with Mustang's validator (PDF/A-3 via veraPDF, the embedded XML "
                            + "with the profile's XSD and Schematron); errors fail the run")
            .parameter(ParameterSpec.optional("reportName", ParameterSpec.Type.STRING, "pdf-validation.xml",
                    "file name of Mustang's validation report in storage"))
            .build();

    private final MustangValidator validator;

    public ValidatePdfAction(MustangValidator validator) {
        this.validator = validator;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        byte[] pdf = step.document();
        String name = step.documentName() == null ? "document.pdf" : step.documentName();
        MustangValidator.Result result;
        try {
            result = validator.validate(pdf, name);
        } catch (IllegalStateException e) {
            throw new StepFailure.Permanent(e.getMessage());
        }
        List<Finding> findings = new ArrayList<>(result.findings());
        String visual = step.variable(EmbedInPdfAction.VISUAL_VARIABLE);
        if (visual != null && visual.startsWith("submission:")
                && findings.stream().anyMatch(f -> f.isBlocking() && "PDF/A-3".equals(f.layer()))) {
            findings.add(0, new Finding("PDF/A-3", "FACTURX-VISUAL-NOT-PDFA3", Finding.Severity.ERROR,
                    "The ERP's PDF '" + visual.substring("submission:".length()) + "' could not be made a valid PDF/A-3 (see the "
                            + "PDF/A-3 findings): send a PDF/A-compatible visual, or none and let the hub render the invoice", null, null));
        }
        step.addFindings(findings);
        step.state().blocking += (int) findings.stream().filter(Finding::isBlocking).count();
        step.state().warnings += (int) findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        step.storeFile(step.parameters().require("reportName"), "validation-report", "application/xml",
                result.report().getBytes(StandardCharsets.UTF_8));
        return StepResult.done();
    }
}
