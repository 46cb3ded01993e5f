package io.einvoicinghub.cdar;

import com.helger.diagnostics.error.IError;
import com.helger.diagnostics.error.level.EErrorLevel;
import com.helger.phive.api.execute.ValidationExecutionManager;
import com.helger.phive.api.executorset.IValidationExecutorSet;
import com.helger.phive.api.executorset.ValidationExecutorSetRegistry;
import com.helger.phive.api.result.ValidationResult;
import com.helger.phive.api.validity.EExtendedValidity;
import com.helger.phive.api.validity.IValidityDeterminator;
import com.helger.phive.en16931.EN16931Validation;
import com.helger.phive.france.FranceCTCValidation;
import com.helger.phive.xml.source.IValidationSourceXML;
import com.helger.phive.xml.source.ValidationSourceXML;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The official CDAR rules: the CDAR D22B XSD and the BR-FR-CDV Schematron 1.3.0 of phive-rules-france (its
 * {@code VID_FR_CTC_CDAR_1_3_0}, the newest it ships). Held in a registry of its own: the life-cycle code does not
 * depend on which rule sets the features' validator registers (decision 0023).
 */
public class CdarRules {

    private final IValidationExecutorSet<IValidationSourceXML> executorSet;

    public CdarRules() {
        ValidationExecutorSetRegistry<IValidationSourceXML> registry = new ValidationExecutorSetRegistry<>();
        // the French registration looks up the EN 16931 sets its invoice rule sets build on
        EN16931Validation.initEN16931(registry);
        FranceCTCValidation.initFranceCTC(registry);
        executorSet = registry.getOfID(FranceCTCValidation.VID_FR_CTC_CDAR_1_3_0);
        if (executorSet == null) {
            throw new IllegalStateException("phive-rules-france does not register " + FranceCTCValidation.VID_FR_CTC_CDAR_1_3_0);
        }
    }

    /** The rule set's phive coordinate, as reports and log lines name it. */
    public String ruleSetId() {
        return executorSet.getID().getAsSingleID();
    }

    public String ruleSetName() {
        return executorSet.getDisplayName();
    }

    /** Validates bytes that {@link SecureXml} accepts (no DOCTYPE, well-formed). */
    public ValidationReport validate(byte[] xml) throws SecureXml.UnsafeOrMalformedXmlException {
        long start = System.nanoTime();
        var source = ValidationSourceXML.create(null, SecureXml.parse(xml));
        List<Finding> findings = new ArrayList<>();
        for (ValidationResult result : ValidationExecutionManager.executeValidation(IValidityDeterminator.createDefault(),
                executorSet, source, Locale.FRENCH)) {
            String layer = result.getValidationArtefact().getRuleResourcePath();
            for (IError error : result.getErrorList()) {
                findings.add(finding(layer, error));
            }
        }
        return new ValidationReport(ruleSetId(), ruleSetName(), List.copyOf(findings), (System.nanoTime() - start) / 1_000_000);
    }

    /** Compiles every layer (the Schematron takes seconds) by running all of them on a stub; the result is dropped. */
    public void warmUp() throws SecureXml.UnsafeOrMalformedXmlException {
        IValidityDeterminator<IValidationSourceXML> runEveryLayer = (executor, errors) -> EExtendedValidity.VALID;
        ValidationExecutionManager.executeValidation(runEveryLayer, executorSet, ValidationSourceXML.create(null,
                SecureXml.parse("<CrossDomainAcknowledgementAndResponse/>".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                Locale.FRENCH);
    }

    private static Finding finding(String layer, IError error) {
        var level = error.getErrorLevel();
        Finding.Severity severity = level.isGE(EErrorLevel.FATAL_ERROR) ? Finding.Severity.FATAL
                : level.isGE(EErrorLevel.ERROR) ? Finding.Severity.ERROR
                : level.isGE(EErrorLevel.WARN) ? Finding.Severity.WARNING : Finding.Severity.INFO;
        String name = layer == null ? null : layer.substring(layer.lastIndexOf('/') + 1);
        String ruleId = error.getErrorID();
        if (ruleId == null || ruleId.isBlank()) {
            ruleId = name != null && name.endsWith(".xsd") ? "XSD" : "UNKNOWN";
        }
        String location = error.getErrorFieldName();
        if (location == null && error.hasErrorLocation()) {
            location = error.getErrorLocation().getAsString();
        }
        return new Finding(name, ruleId, severity, error.getErrorText(Locale.FRENCH), location, null);
    }
}
