package io.einvoicinghub.validation;

/**
 * One validation finding, as the ERP reads it in the log.
 *
 * @param layer        which artefact produced it (XSD, the Schematron file name…)
 * @param ruleId       the official rule id (e.g. BR-CO-10, PEPPOL-EN16931-R010), or XSD for schema errors
 * @param severity     FATAL, ERROR or WARNING — FATAL and ERROR fail the submission
 * @param message      the rule's own text
 * @param location     XPath (Schematron) or line:column (XSD) in the generated XML
 * @param sourceField  the unified-JSON field the finding maps back to, when one is known
 */
public record Finding(String layer, String ruleId, Severity severity, String message, String location,
                      String sourceField) {

    public enum Severity { FATAL, ERROR, WARNING, INFO }

    public boolean isBlocking() {
        return severity == Severity.FATAL || severity == Severity.ERROR;
    }

    public Finding withSourceField(String field) {
        return new Finding(layer, ruleId, severity, message, location, field);
    }

    /** The same finding with another severity (a feature may treat a rule set's warnings as errors). */
    public Finding withSeverity(Severity newSeverity) {
        return new Finding(layer, ruleId, newSeverity, message, location, sourceField);
    }
}
