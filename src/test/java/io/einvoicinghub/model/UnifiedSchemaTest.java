package io.einvoicinghub.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schema of the unified submission accepts every valid sample and rejects each schema-kind invalid
 * sample at the pointers its {@code .expected.json} lists.
 */
public class UnifiedSchemaTest {

    static final Path VALID = Path.of("samples/valid");
    static final Path INVALID = Path.of("samples/invalid");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        schema = load();
    }

    /** Loads the schema from the classpath with JSON-pointer instance locations. */
    public static JsonSchema load() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        try (InputStream in = UnifiedSchemaTest.class.getResourceAsStream("/schema/unified-submission.schema.json")) {
            assertThat(in).as("schema on the classpath").isNotNull();
            return factory.getSchema(in, config);
        }
    }

    /** JSON pointers of the reported errors; for required/additionalProperties the offending property is appended. */
    public static Set<String> pointers(Set<ValidationMessage> messages) {
        Set<String> out = new TreeSet<>();
        for (ValidationMessage m : messages) {
            String location = m.getInstanceLocation().toString();
            String property = m.getProperty();
            if (property != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))
                    && !location.endsWith("/" + property)) {
                location = location + "/" + property;
            }
            out.add(location);
        }
        return out;
    }

    static Stream<Path> validSamples() throws IOException {
        try (Stream<Path> files = Files.list(VALID)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    static Stream<Path> invalidSamples(String kind) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(INVALID)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".expected.json")).sorted().toList()) {
                if (kind.equals(MAPPER.readTree(p.toFile()).path("kind").asText())) {
                    out.add(p);
                }
            }
        }
        return out.stream();
    }

    static Stream<Path> schemaInvalidSamples() throws IOException {
        return invalidSamples("schema");
    }

    static Stream<Path> businessRuleInvalidSamples() throws IOException {
        return invalidSamples("business-rules");
    }

    static Path sampleOf(Path expected) {
        return expected.resolveSibling(expected.getFileName().toString().replace(".expected.json", ".json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSamples")
    void validSamplePassesTheSchema(Path sample) throws IOException {
        Set<ValidationMessage> errors = schema.validate(MAPPER.readTree(sample.toFile()));
        assertThat(errors).as(sample + " schema errors").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaInvalidSamples")
    void schemaInvalidSampleFailsAtTheListedPointers(Path expectedFile) throws IOException {
        JsonNode expected = MAPPER.readTree(expectedFile.toFile());
        Set<ValidationMessage> errors = schema.validate(MAPPER.readTree(sampleOf(expectedFile).toFile()));
        List<String> wanted = new ArrayList<>();
        expected.path("pointers").forEach(p -> wanted.add(p.asText()));
        assertThat(wanted).as("expected pointers in " + expectedFile).isNotEmpty();
        assertThat(pointers(errors)).as(errors.toString()).containsAll(wanted);
    }

    /** Business-rule samples are structurally fine: only the official rules must reject them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("businessRuleInvalidSamples")
    void businessRuleInvalidSamplePassesTheSchema(Path expectedFile) throws IOException {
        JsonNode expected = MAPPER.readTree(expectedFile.toFile());
        assertThat(expected.path("ruleIds").size()).isPositive();
        assertThat(schema.validate(MAPPER.readTree(sampleOf(expectedFile).toFile()))).isEmpty();
    }

    @Test
    void thereAreEnoughSamples() throws IOException {
        assertThat(validSamples().count()).isGreaterThanOrEqualTo(13);
        assertThat(schemaInvalidSamples().count()).isGreaterThanOrEqualTo(2);
        assertThat(businessRuleInvalidSamples().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyBusinessTermPointerExistsInTheSchema() throws IOException {
        JsonNode terms;
        try (InputStream in = UnifiedSchemaTest.class.getResourceAsStream("/schema/business-terms.json")) {
            terms = MAPPER.readTree(in);
        }
        JsonNode root;
        try (InputStream in = UnifiedSchemaTest.class.getResourceAsStream("/schema/unified-submission.schema.json")) {
            root = MAPPER.readTree(in);
        }
        List<String> missing = new ArrayList<>();
        for (Iterator<String> it = terms.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            String pointer = terms.get(id).path("jsonPointer").asText();
            if (resolve(root, root, pointer) == null) {
                missing.add(id + " " + pointer);
            }
        }
        assertThat(missing).isEmpty();
    }

    /** Walks a JSON pointer (with {line}/{n} placeholders) through the schema's properties/items/$ref. */
    private static JsonNode resolve(JsonNode root, JsonNode node, String pointer) {
        JsonNode current = node;
        for (String token : pointer.substring(1).split("/")) {
            current = deref(root, current);
            if (token.startsWith("{")) {
                current = current.path("items");
            } else {
                current = current.path("properties").path(token);
            }
            if (current.isMissingNode()) {
                return null;
            }
        }
        return current;
    }

    private static JsonNode deref(JsonNode root, JsonNode node) {
        while (node.has("$ref")) {
            node = root.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }
}
