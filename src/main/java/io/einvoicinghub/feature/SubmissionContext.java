package io.einvoicinghub.feature;

import java.util.Map;

/**
 * The context metadata the ERP sends with a document; applicability rules are evaluated over it.
 * Field names usable in rules: legalEntity, country, documentType, erpDocumentId, featureHint and
 * variables.NAME.
 */
public record SubmissionContext(String legalEntity, String country, String documentType, String erpDocumentId,
                                String featureHint, Map<String, String> variables) {

    public SubmissionContext {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    /** @return the value of a context field, or null when it is absent */
    public String valueOf(String field) {
        if (field.startsWith("variables.")) {
            return variables.get(field.substring("variables.".length()));
        }
        return switch (field) {
            case "legalEntity" -> legalEntity;
            case "country" -> country;
            case "documentType" -> documentType;
            case "erpDocumentId" -> erpDocumentId;
            case "featureHint" -> featureHint;
            default -> throw new IllegalArgumentException("Unknown context field in applicability rule: " + field);
        };
    }
}
