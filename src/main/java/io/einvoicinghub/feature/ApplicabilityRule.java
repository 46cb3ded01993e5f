package io.einvoicinghub.feature;

import java.util.List;
import java.util.Locale;

/**
 * When a feature applies to a document: And/Or groups of conditions over context fields, as in the
 * Dynamics 365 Electronic invoicing service's applicability rules.
 */
public sealed interface ApplicabilityRule {

    boolean matches(SubmissionContext context);

    /** Every child must match ("all" in feature.yaml). An empty group matches. */
    record All(List<ApplicabilityRule> rules) implements ApplicabilityRule {
        public boolean matches(SubmissionContext context) {
            return rules.stream().allMatch(r -> r.matches(context));
        }
    }

    /** At least one child must match ("any" in feature.yaml). */
    record Any(List<ApplicabilityRule> rules) implements ApplicabilityRule {
        public boolean matches(SubmissionContext context) {
            return rules.stream().anyMatch(r -> r.matches(context));
        }
    }

    enum Operator { EQUALS, NOT_EQUALS, CONTAINS, BEGINS_WITH, IN, NOT_IN, EXISTS, NOT_EXISTS }

    /** One comparison of a context field; string comparisons ignore case unless {@code caseSensitive}. */
    record Condition(String field, Operator operator, List<String> values, boolean caseSensitive)
            implements ApplicabilityRule {

        public boolean matches(SubmissionContext context) {
            String actual = context.valueOf(field);
            return switch (operator) {
                case EXISTS -> actual != null && !actual.isBlank();
                case NOT_EXISTS -> actual == null || actual.isBlank();
                case EQUALS -> actual != null && same(actual, first());
                case NOT_EQUALS -> actual == null || !same(actual, first());
                case CONTAINS -> actual != null && norm(actual).contains(norm(first()));
                case BEGINS_WITH -> actual != null && norm(actual).startsWith(norm(first()));
                case IN -> actual != null && values.stream().anyMatch(v -> same(actual, v));
                case NOT_IN -> actual == null || values.stream().noneMatch(v -> same(actual, v));
            };
        }

        private String first() {
            return values.isEmpty() ? "" : values.get(0);
        }

        private boolean same(String a, String b) {
            return norm(a).equals(norm(b));
        }

        private String norm(String s) {
            return caseSensitive ? s : s.toLowerCase(Locale.ROOT);
        }
    }
}
