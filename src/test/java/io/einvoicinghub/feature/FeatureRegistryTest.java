package io.einvoicinghub.feature;

import io.einvoicinghub.HubProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureRegistryTest {

    @TempDir
    Path routes;

    private FeatureRegistry registry(boolean watch) {
        return new FeatureRegistry(new HubProperties(routes.getParent(), routes, routes, "test", null, null,
                new HubProperties.Features(watch)));
    }

    private void feature(String id, String applicability) throws IOException {
        Path folder = Files.createDirectories(routes.resolve("features").resolve(id));
        Files.writeString(folder.resolve("feature.yaml"), "id: " + id + "\nversion: 2.1.0\ndescription: test\n" + applicability);
    }

    private static SubmissionContext context(String country, Map<String, String> variables) {
        return new SubmissionContext("LE1", country, "Invoice", "ERP-1", null, variables);
    }

    @Test
    void selectsTheOneFeatureWhoseAndOrRulesMatch() throws IOException {
        feature("de-b2g", """
                applicability:
                  all:
                    - { field: country, operator: equals, value: de }
                    - any:
                        - { field: variables.recipientType, operator: in, values: [public, b2g] }
                        - { field: legalEntity, operator: beginsWith, value: GOV }
                """);
        feature("fr-b2b", """
                applicability:
                  all:
                    - { field: country, operator: equals, value: FR, caseSensitive: true }
                    - { field: variables.recipientType, operator: notEquals, value: public }
                """);
        FeatureRegistry registry = registry(false);

        assertThat(registry.select(context("DE", Map.of("recipientType", "b2g"))).id()).isEqualTo("de-b2g");
        assertThat(registry.select(context("FR", Map.of())).id()).isEqualTo("fr-b2b");
        assertThat(registry.select(context("FR", Map.of())).version()).isEqualTo("2.1.0");
        assertThatThrownBy(() -> registry.select(context("fr", Map.of())))
                .isInstanceOf(FeatureSelectionException.class)
                .extracting(e -> ((FeatureSelectionException) e).reason())
                .isEqualTo(FeatureSelectionException.Reason.NO_FEATURE_APPLIES);
    }

    @Test
    void twoMatchingFeaturesAreAnAmbiguityNamingBoth() throws IOException {
        feature("one", "applicability:\n  all:\n    - { field: country, operator: contains, value: E }\n");
        feature("two", "applicability:\n  any:\n    - { field: country, operator: exists }\n");

        assertThatThrownBy(() -> registry(false).select(context("DE", Map.of())))
                .isInstanceOf(FeatureSelectionException.class)
                .hasMessageContaining("one").hasMessageContaining("two")
                .extracting(e -> ((FeatureSelectionException) e).reason())
                .isEqualTo(FeatureSelectionException.Reason.AMBIGUOUS);
    }

    @Test
    void hintWinsOverRulesAndUnknownHintIsRefused() throws IOException {
        feature("one", "applicability:\n  all:\n    - { field: country, operator: equals, value: XX }\n");
        FeatureRegistry registry = registry(false);

        assertThat(registry.select(new SubmissionContext("LE", "DE", "Invoice", "1", "one", Map.of())).id()).isEqualTo("one");
        assertThatThrownBy(() -> registry.select(new SubmissionContext("LE", "DE", "Invoice", "1", "nope", Map.of())))
                .extracting(e -> ((FeatureSelectionException) e).reason())
                .isEqualTo(FeatureSelectionException.Reason.UNKNOWN_FEATURE);
    }

    @Test
    void badDescriptorsFailWithTheFileName() throws IOException {
        feature("broken", "applicability:\n  all:\n    - { field: nonsense, operator: equals, value: x }\n");
        assertThatThrownBy(() -> registry(false)).hasMessageContaining("nonsense");

        Files.writeString(routes.resolve("features/broken/feature.yaml"),
                "id: broken\nversion: 1\napplicability:\n  all:\n    - { field: country, operator: like, value: x }\n");
        assertThatThrownBy(() -> registry(false)).hasMessageContaining("like").hasMessageContaining("feature.yaml");

        Files.writeString(routes.resolve("features/broken/feature.yaml"), "id: other\nversion: 1\n");
        assertThatThrownBy(() -> registry(false)).hasMessageContaining("folder name");
    }

    @Test
    void watchedRegistryPicksUpEditedRules() throws Exception {
        feature("one", "applicability:\n  all:\n    - { field: country, operator: equals, value: DE }\n");
        FeatureRegistry registry = registry(true);
        assertThat(registry.select(context("DE", Map.of())).id()).isEqualTo("one");

        feature("one", "applicability:\n  all:\n    - { field: country, operator: equals, value: AT }\n");
        Files.setLastModifiedTime(routes.resolve("features/one/feature.yaml"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

        assertThat(registry.select(context("AT", Map.of())).id()).isEqualTo("one");
    }
}
