package io.einvoicinghub.feature;

import java.nio.file.Path;

/**
 * What {@code routes/features/ID/feature.yaml} declares about a feature. Its pipeline is the Camel route
 * {@code feature-ID} (consuming {@code direct:feature-ID}) defined in the same folder.
 */
public record FeatureDescriptor(String id, String version, String description, ApplicabilityRule applicability,
                                Path folder) {

    public String routeId() {
        return "feature-" + id;
    }

    public String endpointUri() {
        return "direct:feature-" + id;
    }
}
