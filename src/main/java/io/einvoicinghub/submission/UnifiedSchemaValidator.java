package io.einvoicinghub.submission;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.einvoicinghub.api.ApiError;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;

/** Checks a submission against the published JSON Schema of the unified model; errors carry JSON pointers. */
@Component
public class UnifiedSchemaValidator {

    public static final String SCHEMA_RESOURCE = "/schema/unified-submission.schema.json";

    private final JsonSchema schema;

    public UnifiedSchemaValidator() {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        try (InputStream in = UnifiedSchemaValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("JSON Schema " + SCHEMA_RESOURCE + " is missing from the classpath");
            }
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + SCHEMA_RESOURCE, e);
        }
    }

    public List<ApiError> validate(JsonNode submission) {
        return schema.validate(submission).stream()
                .map(UnifiedSchemaValidator::toError)
                .sorted(Comparator.comparing(ApiError::pointer).thenComparing(ApiError::message))
                .toList();
    }

    private static ApiError toError(ValidationMessage m) {
        String pointer = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        // a missing or unexpected property is located at the property itself, not at its parent object
        if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
            pointer = pointer + "/" + m.getProperty().replace("~", "~0").replace("/", "~1");
        }
        return new ApiError(pointer, m.getMessage());
    }
}
