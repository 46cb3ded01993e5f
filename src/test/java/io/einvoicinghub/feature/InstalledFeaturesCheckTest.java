package io.einvoicinghub.feature;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.validation.OfficialRulesValidator;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstalledFeaturesCheckTest {

    @TempDir
    Path routes;

    @Test
    void descriptorWithoutRouteAndUnknownRuleSetStopTheStart() throws Exception {
        for (String id : new String[]{"complete", "routeless", "misnamed"}) {
            Path folder = Files.createDirectories(routes.resolve("features").resolve(id));
            Files.writeString(folder.resolve("feature.yaml"), "id: " + id + "\nversion: 1\n");
        }
        FeatureRegistry registry = new FeatureRegistry(new HubProperties(routes, routes, routes, "t", null, null, null));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().addInitialProperty("hub.transformations-dir", "transformations");
            // the routes only need to be built here, never run
            camel.addComponent("action", TestCatalogue.component(routes));
            // the real template, instantiated as features do it in YAML
            var loader = org.apache.camel.support.PluginHelper.getRoutesLoader(camel);
            loader.loadRoutes(org.apache.camel.support.ResourceHelper.resolveResource(camel,
                    "file:routes/templates/xml-outbound-feature.camel.yaml"));
            loader.loadRoutes(org.apache.camel.support.ResourceHelper.fromString("features.camel.yaml", """
                    - templatedRoute:
                        routeTemplateRef: xml-outbound-feature
                        routeId: feature-complete
                        parameters:
                          - { name: featureId, value: complete }
                          - { name: stylesheet, value: ubl/unified-to-ubl.xsl }
                          - { name: specificationParameter, value: customizationId }
                          - { name: specificationIdentifier, value: x }
                          - { name: outputName, value: out.xml }
                          - { name: invoiceRuleSet, value: "de.xrechnung:ubl-invoice:3.0.2" }
                          - { name: creditNoteRuleSet, value: "de.xrechnung:ubl-creditnote:3.0.2" }
                    - templatedRoute:
                        routeTemplateRef: xml-outbound-feature
                        routeId: feature-misnamed
                        parameters:
                          - { name: featureId, value: misnamed }
                          - { name: stylesheet, value: ubl/unified-to-ubl.xsl }
                          - { name: specificationParameter, value: customizationId }
                          - { name: specificationIdentifier, value: x }
                          - { name: outputName, value: out.xml }
                          - { name: invoiceRuleSet, value: "de.xrechnung:ubl-invoice:9.9" }
                          - { name: creditNoteRuleSet, value: "de.xrechnung:ubl-creditnote:3.0.2" }
                    """));
            camel.start();
            InstalledFeaturesCheck check = new InstalledFeaturesCheck(registry, camel, new OfficialRulesValidator());

            assertThat(check.problems()).hasSize(2)
                    .anySatisfy(p -> assertThat(p).contains("routeless").contains("feature-routeless"))
                    .anySatisfy(p -> assertThat(p).contains("misnamed").contains("de.xrechnung:ubl-invoice:9.9"));
            assertThatThrownBy(check::verify).hasMessageContaining("misconfigured");
        }
    }
}
