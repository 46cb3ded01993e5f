package io.einvoicinghub.italy;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.feature.FeatureRegistry;
import io.einvoicinghub.feature.SubmissionContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which installed feature (routes/features) an Italian legal entity's submission gets: it-fatturapa by default, the
 * others only where the ERP asks for them, and never two at once (an ambiguity would refuse the submission).
 */
class ItalianApplicabilityTest {

    final FeatureRegistry registry = new FeatureRegistry(new HubProperties(Path.of("."), Path.of("routes"),
            Path.of("transformations"), "test", null, null, new HubProperties.Features(false)));

    String selected(Map<String, String> variables) {
        return registry.select(new SubmissionContext("IT01", "IT", "Invoice", "ERP-1", null, variables)).id();
    }

    @Test
    void italianDocumentsGoToFatturaPaUnlessAnotherChannelOrFormatIsAskedFor() {
        assertThat(selected(Map.of())).isEqualTo("it-fatturapa");
        assertThat(selected(Map.of("recipientType", "public"))).isEqualTo("it-fatturapa");
        assertThat(selected(Map.of("sdiSignature", "xades"))).isEqualTo("it-fatturapa");
        assertThat(selected(Map.of("channel", "peppol"))).isEqualTo("peppol-bis-ubl");
        assertThat(selected(Map.of("syntax", "CII"))).isEqualTo("en16931-cii");
        assertThat(selected(Map.of("format", "factur-x"))).isEqualTo("en16931-cii");
        assertThat(selected(Map.of("container", "pdf"))).isEqualTo("facturx-en16931");
    }
}
