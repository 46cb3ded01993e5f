package io.einvoicinghub.france;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.feature.FeatureRegistry;
import io.einvoicinghub.feature.FeatureSelectionException;
import io.einvoicinghub.feature.SubmissionContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which installed feature (routes/features, as shipped) a French legal entity's document goes to, and that no
 * context, French or not, is claimed by two features.
 */
class FrenchFeatureSelectionTest {

    private final FeatureRegistry registry = new FeatureRegistry(new HubProperties(Path.of("data"), Path.of("routes"),
            Path.of("transformations"), "test", null, null, new HubProperties.Features(false)));

    private String select(String country, Map<String, String> variables) {
        return registry.select(new SubmissionContext("FR01", country, "Invoice", "ERP-1", null, variables)).id();
    }

    @Test
    void aFrenchIssuerGetsTheFrenchFeatures() {
        assertThat(select("FR", Map.of())).isEqualTo("fr-ubl");
        assertThat(select("FR", Map.of("recipientType", "business"))).isEqualTo("fr-ubl");
        assertThat(select("FR", Map.of("syntax", "UBL"))).isEqualTo("fr-ubl");
        assertThat(select("FR", Map.of("syntax", "CII"))).isEqualTo("fr-cii");
        assertThat(select("FR", Map.of("format", "factur-x"))).isEqualTo("fr-cii");
        assertThat(select("FR", Map.of("container", "pdf"))).isEqualTo("fr-facturx");
        assertThat(select("FR", Map.of("container", "pdf", "syntax", "CII"))).isEqualTo("fr-facturx");
    }

    @Test
    void peppolAndOtherCountriesKeepTheirFeatures() {
        assertThat(select("FR", Map.of("channel", "peppol"))).isEqualTo("peppol-bis-ubl");
        assertThat(select("BE", Map.of("syntax", "CII"))).isEqualTo("en16931-cii");
        assertThat(select("BE", Map.of("container", "pdf"))).isEqualTo("facturx-en16931");
        assertThat(select("DE", Map.of("recipientType", "public"))).isEqualTo("xrechnung-ubl");
    }

    @Test
    void aFrenchPublicBuyerIsNotCovered() {
        // B2G in France goes through Chorus Pro with its own rules: no feature claims it (docs/france.md)
        assertThatThrownBy(() -> select("FR", Map.of("recipientType", "public")))
                .isInstanceOf(FeatureSelectionException.class).hasMessageContaining("No feature applies");
    }

    @Test
    void noContextIsClaimedByTwoFeatures() {
        List<String> ambiguous = new ArrayList<>();
        for (String country : List.of("FR", "DE", "PL", "IT", "BE", "AT")) {
            for (String recipientType : new String[]{null, "public", "business"}) {
                for (String channel : new String[]{null, "peppol", "email"}) {
                    for (String syntax : new String[]{null, "CII", "UBL"}) {
                        for (String format : new String[]{null, "factur-x", "zugferd"}) {
                            for (String container : new String[]{null, "pdf"}) {
                                Map<String, String> variables = new HashMap<>();
                                put(variables, "recipientType", recipientType);
                                put(variables, "channel", channel);
                                put(variables, "syntax", syntax);
                                put(variables, "format", format);
                                put(variables, "container", container);
                                try {
                                    select(country, variables);
                                } catch (FeatureSelectionException e) {
                                    if (e.reason() == FeatureSelectionException.Reason.AMBIGUOUS) {
                                        ambiguous.add(country + " " + variables + ": " + e.getMessage());
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(ambiguous).isEmpty();
    }

    private static void put(Map<String, String> variables, String name, String value) {
        if (value != null) {
            variables.put(name, value);
        }
    }
}
