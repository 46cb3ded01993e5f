package io.einvoicinghub.validation;

import java.util.List;

/** The outcome of validating one XML document against one official rule set. */
public record ValidationReport(String ruleSetId, String ruleSetName, List<Finding> findings, long durationMillis) {

    public boolean isValid() {
        return findings.stream().noneMatch(Finding::isBlocking);
    }

    public List<String> blockingRuleIds() {
        return findings.stream().filter(Finding::isBlocking).map(Finding::ruleId).distinct().toList();
    }
}
