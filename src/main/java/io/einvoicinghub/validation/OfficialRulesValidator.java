package io.einvoicinghub.validation;

import com.helger.base.location.ILocation;
import com.helger.diagnostics.error.IError;
import com.helger.diver.api.coord.DVRCoordinate;
import com.helger.phive.api.execute.ValidationExecutionManager;
import com.helger.phive.api.executorset.IValidationExecutorSet;
import com.helger.phive.api.executorset.ValidationExecutorSetRegistry;
import com.helger.phive.api.result.ValidationResult;
import com.helger.phive.api.result.ValidationResultList;
import com.helger.phive.api.validity.EExtendedValidity;
import com.helger.phive.api.validity.IValidityDeterminator;
import com.helger.phive.en16931.EN16931Validation;
import com.helger.phive.fatturapa.FatturaPAValidation;
import com.helger.phive.france.FranceCTCValidation;
import com.helger.phive.peppol.PeppolValidation;
import com.helger.phive.xml.source.IValidationSourceXML;
import com.helger.phive.xml.source.ValidationSourceXML;
import com.helger.phive.xrechnung.XRechnungValidation;
import org.w3c.dom.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Validates XML against the official rule sets shipped by phive (XSD + EN 16931, Peppol, XRechnung and French
 * CTC Schematron; the FatturaPA XSD), never against hand-written copies. Rule sets are addressed by their phive coordinate
 * ("group:artifact:version"), e.g. {@code eu.peppol.bis3:invoice:2026.5}.
 */
public class OfficialRulesValidator {

    private final ValidationExecutorSetRegistry<IValidationSourceXML> registry = new ValidationExecutorSetRegistry<>();

    public OfficialRulesValidator() {
        EN16931Validation.initEN16931(registry);
        PeppolValidation.initStandard(registry);
        XRechnungValidation.initXRechnung(registry);
        FatturaPAValidation.initFatturaPA(registry); // the official FatturaPA XSDs (it.fatturapa:invoice:1.2.2)
        // French CIUS (BR-FR, Flux 2 UBL/CII), EXTENDED-CTC-FR and the CDAR life-cycle rules: fr.ctc:* (docs/france.md)
        FranceCTCValidation.initFranceCTC(registry);
    }

    public boolean knows(String ruleSetId) {
        return executorSet(ruleSetId) != null;
    }

    public List<String> ruleSetIds() {
        return registry.getAll().stream().map(ves -> ves.getID().getAsSingleID()).sorted().toList();
    }

    /** Validates a DOM that the caller has parsed safely (see {@link SecureXml}). */
    public ValidationReport validate(String ruleSetId, Document xml) {
        return validate(ruleSetId, ValidationSourceXML.create(null, xml));
    }

    /**
     * Validates XML bytes: refused outright if they hold a DOCTYPE ({@link SecureXml}), otherwise every layer
     * reads them as a stream, the fast path for Saxon (see {@link StreamingValidationSource}).
     */
    public ValidationReport validate(String ruleSetId, byte[] xml) throws SecureXml.UnsafeOrMalformedXmlException {
        return validate(ruleSetId, XmlInput.of(xml));
    }

    /**
     * Validates a document read from a stream once per layer (e.g. a stored file): checked by {@link SecureXml#check}
     * first, never held in memory as a whole, so a 100,000-line invoice fits next to the validators' own trees.
     */
    public ValidationReport validate(String ruleSetId, XmlInput xml) throws SecureXml.UnsafeOrMalformedXmlException {
        try (java.io.InputStream in = xml.open()) {
            SecureXml.check(in);
        } catch (java.io.IOException e) {
            throw new SecureXml.UnsafeOrMalformedXmlException("XML could not be read: " + e.getMessage(), e);
        }
        try (StreamingValidationSource source = new StreamingValidationSource(xml)) {
            return validate(ruleSetId, source);
        }
    }

    private ValidationReport validate(String ruleSetId, IValidationSourceXML source) {
        IValidationExecutorSet<IValidationSourceXML> ves = executorSet(ruleSetId);
        if (ves == null) {
            throw new IllegalArgumentException("Unknown validation rule set: " + ruleSetId);
        }
        long start = System.nanoTime();
        ValidationResultList results = ValidationExecutionManager.executeValidation(
                IValidityDeterminator.createDefault(), ves, source, Locale.ENGLISH);
        List<Finding> findings = new ArrayList<>();
        for (ValidationResult result : results) {
            String layer = result.getValidationArtefact().getRuleResourcePath();
            for (IError error : result.getErrorList()) {
                findings.add(toFinding(layer, error));
            }
        }
        return new ValidationReport(ves.getID().getAsSingleID(), ves.getDisplayName(), List.copyOf(findings),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Compiles every layer of a rule set (the Schematron compilation costs seconds) by running all layers on
     * a stub document; the result is discarded.
     */
    public void warmUp(String ruleSetId) {
        IValidationExecutorSet<IValidationSourceXML> ves = executorSet(ruleSetId);
        if (ves == null) {
            throw new IllegalArgumentException("Unknown validation rule set: " + ruleSetId);
        }
        try {
            IValidityDeterminator<IValidationSourceXML> runEveryLayer = (executor, errors) -> EExtendedValidity.VALID;
            ValidationExecutionManager.executeValidation(runEveryLayer, ves,
                    ValidationSourceXML.create(null, SecureXml.parse("<Invoice/>".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                    Locale.ENGLISH);
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            throw new IllegalStateException(e);
        }
    }

    private IValidationExecutorSet<IValidationSourceXML> executorSet(String ruleSetId) {
        DVRCoordinate coordinate = DVRCoordinate.parseOrNull(ruleSetId);
        if (coordinate != null) {
            IValidationExecutorSet<IValidationSourceXML> exact = registry.getOfID(coordinate);
            if (exact != null) {
                return exact;
            }
        }
        // "group:artifact" alone (or with version "latest") means the newest release of that rule set
        String[] parts = ruleSetId.split(":");
        if (parts.length >= 2 && (parts.length == 2 || "latest".equals(parts[2]))) {
            return registry.getLatestReleaseVersion(parts[0], parts[1], Set.of());
        }
        return null;
    }

    private static Finding toFinding(String layer, IError error) {
        Finding.Severity severity = error.getErrorLevel().isGE(com.helger.diagnostics.error.level.EErrorLevel.ERROR)
                ? (error.getErrorLevel().isGE(com.helger.diagnostics.error.level.EErrorLevel.FATAL_ERROR)
                    ? Finding.Severity.FATAL : Finding.Severity.ERROR)
                : (error.getErrorLevel().isGE(com.helger.diagnostics.error.level.EErrorLevel.WARN)
                    ? Finding.Severity.WARNING : Finding.Severity.INFO);
        String location = error.getErrorFieldName();
        if (location == null && error.hasErrorLocation()) {
            ILocation l = error.getErrorLocation();
            location = l.getAsString();
        }
        String ruleId = error.getErrorID();
        if (ruleId == null || ruleId.isBlank()) {
            ruleId = layer != null && layer.endsWith(".xsd") ? "XSD" : "UNKNOWN";
        }
        String text = error.getErrorText(Locale.ENGLISH);
        return new Finding(shortName(layer), ruleId, severity, text, location, null);
    }

    private static String shortName(String path) {
        if (path == null) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }
}
