package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.einvoicinghub.security.ApiSecurityConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/openapi.yaml} in step with the code: the same operations as the REST routes in
 * {@code routes/api/*.camel.yaml}, each with an operationId and the answers an ERP must expect (401/403 where the
 * security configuration asks for a credential, 503 with Retry-After where the readiness gate applies); every
 * {@link ProblemType}; the context limits of the unified JSON Schema; the Idempotency-Key limits and the
 * credential schemes the hub accepts. Expected values are read from those sources, never from the spec.
 */
class OpenApiSpecTest {

    private static final Path SPEC = Path.of("docs/openapi.yaml");
    private static final Path ROUTES = Path.of("routes/api/erp-api.camel.yaml");
    /** The console's operations of the same API, in a file of their own. */
    private static final Path CONSOLE_ROUTES = Path.of("routes/api/console-api.camel.yaml");
    /** The inbound vendor invoices' operations (uploads, ERP hand-off). */
    private static final Path INBOUND_ROUTES = Path.of("routes/api/inbound-api.camel.yaml");
    /** France's invoice life-cycle statuses (CDAR). */
    private static final Path INVOICE_STATUS_ROUTES = Path.of("routes/api/invoice-status-api.camel.yaml");
    private static final Path JSON_SCHEMA = Path.of("src/main/resources/schema/unified-submission.schema.json");
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static Map<String, Object> spec;
    private static Object routes;

    @BeforeAll
    static void load() throws IOException {
        spec = map(read(SPEC));
        List<Object> all = new ArrayList<>((List<?>) read(ROUTES));
        all.addAll((List<?>) read(CONSOLE_ROUTES));
        all.addAll((List<?>) read(INBOUND_ROUTES));
        all.addAll((List<?>) read(INVOICE_STATUS_ROUTES));
        routes = all;
    }

    @Test
    void isOpenApi30() {
        assertThat(spec.get("openapi")).asString().matches("3\\.0\\.\\d+");
        assertThat(map(spec.get("info"))).containsKeys("title", "version");
        assertThat(map(spec.get("paths"))).isNotEmpty();
    }

    @Test
    void specHasExactlyTheRestOperationsOfTheRoutes() {
        assertThat(specOperations()).isNotEmpty().isEqualTo(routeOperations());
    }

    @Test
    void everyOperationHasAUniqueOperationId() {
        List<String> ids = new ArrayList<>();
        forEachOperation((key, operation) -> {
            assertThat(operation.get("operationId")).as("operationId of %s", key).isInstanceOf(String.class);
            ids.add((String) operation.get("operationId"));
        });
        assertThat(ids).doesNotHaveDuplicates();
    }

    /** An operation that takes client input (parameters or a body) can be refused and must say how. */
    @Test
    void everyOperationDeclaresSuccessAndWhereApplicableClientErrors() {
        forEachOperation((key, operation) -> {
            Set<String> codes = map(operation.get("responses")).keySet();
            assertThat(codes).as("responses of %s", key).anyMatch(c -> c.startsWith("2"));
            boolean takesInput = operation.get("requestBody") != null
                    || (operation.get("parameters") instanceof List<?> p && !p.isEmpty());
            if (takesInput) {
                assertThat(codes).as("4xx responses of %s", key).anyMatch(c -> c.startsWith("4"));
            }
        });
    }

    @Test
    void errorResponsesAreProblemDocuments() {
        forEachOperation((key, operation) -> map(operation.get("responses")).forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                Map<String, Object> content = map(resolve(map(response)).get("content"));
                assertThat(content).as("content of %s %s", key, code).containsOnlyKeys("application/problem+json");
            }
        }));
    }

    @Test
    void everyLocalReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(spec, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref).as("only local references: the served spec is self-contained").startsWith("#/");
            assertThat(resolve(Map.of("$ref", ref))).as(ref).isNotNull();
        });
    }

    // ---- problem types -----------------------------------------------------------------------------------------

    @Test
    void theProblemSchemaListsEveryProblemTypeWithItsStatusAndTitle() {
        Map<String, Object> problem = map(map(map(spec.get("components")).get("schemas")).get("Problem"));
        Map<String, Object> type = map(map(problem.get("properties")).get("type"));
        Set<String> expected = java.util.Arrays.stream(ProblemType.values()).map(ProblemType::uri).collect(Collectors.toSet());
        assertThat(new HashSet<>((List<?>) type.get("enum"))).as("Problem.type enum").isEqualTo(expected);
        String description = problem.get("description").toString();
        for (ProblemType t : ProblemType.values()) {
            assertThat(description).as("Problem description row of %s", t)
                    .containsPattern("\\| " + t.status() + " \\| `" + java.util.regex.Pattern.quote(t.uri()) + "` \\| "
                            + java.util.regex.Pattern.quote(t.title()) + " \\| [^|]+\\|");
        }
    }

    /** Every problem example in the spec is a real answer: a known type, with that type's status and title. */
    @Test
    void everyProblemExampleCarriesAKnownTypeWithItsStatusAndTitle() {
        List<Map<String, Object>> examples = new ArrayList<>();
        collectProblemExamples(spec, examples);
        assertThat(examples).hasSizeGreaterThan(10).allSatisfy(example -> {
            ProblemType type = java.util.Arrays.stream(ProblemType.values())
                    .filter(t -> t.uri().equals(example.get("type"))).findFirst().orElse(null);
            assertThat(type).as("type of problem example %s", example).isNotNull();
            assertThat(example.get("status")).as("status of %s", example).isEqualTo(type.status());
            assertThat(example.get("title")).as("title of %s", example).isEqualTo(type.title());
        });
    }

    /** The error answers of each operation document the types the code gives for that status. */
    @Test
    void everyErrorResponseExampleMatchesItsStatusCode() {
        forEachOperation((key, operation) -> map(operation.get("responses")).forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                List<Map<String, Object>> examples = new ArrayList<>();
                collectProblemExamples(resolve(map(response)), examples);
                examples.forEach(e -> assertThat(e.get("status")).as("%s %s example %s", key, code, e)
                        .isEqualTo(Integer.parseInt(code)));
            }
        }));
    }

    // ---- 401 / 403 / 503 -----------------------------------------------------------------------------------------

    /**
     * Every REST operation of the routes: 401 and 403 unless the security configuration lets anyone call it (then
     * it says {@code security: []} and declares no 401); 503 with Retry-After, since the readiness gate stands in
     * front of every /api/ path.
     */
    @Test
    void everyRouteOperationDeclaresItsAuthenticationAndStartUpAnswers() {
        org.springframework.util.AntPathMatcher ant = new org.springframework.util.AntPathMatcher();
        for (String operationKey : routeOperations()) {
            String verb = operationKey.substring(0, operationKey.indexOf(' '));
            String path = operationKey.substring(operationKey.indexOf(' ') + 1);
            Map<String, Object> operation = map(map(map(spec.get("paths")).get(path)).get(verb.toLowerCase(Locale.ROOT)));
            Map<String, Object> responses = map(operation.get("responses"));
            boolean open = verb.equals("GET") && ApiSecurityConfiguration.PUBLIC_GET_PATHS.stream()
                    .anyMatch(pattern -> ant.match(pattern, path));
            if (open) {
                assertThat(operation.get("security")).as("security of public %s", operationKey).isEqualTo(List.of());
                assertThat(responses).as("responses of public %s", operationKey).doesNotContainKeys("401", "403");
            } else {
                assertThat(operation.get("security")).as("%s uses the global security", operationKey).isNull();
                assertProblemResponse(operationKey, responses, "401", ProblemType.UNAUTHORIZED);
                assertThat(map(resolve(map(responses.get("401"))).get("headers"))).as("401 headers of %s", operationKey)
                        .containsKey("WWW-Authenticate");
                assertProblemResponse(operationKey, responses, "403", ProblemType.FORBIDDEN);
            }
            if (path.startsWith("/api/")) {
                assertProblemResponse(operationKey, responses, "503", ProblemType.SERVICE_UNAVAILABLE);
                Map<String, Object> retryAfter = map(map(resolve(map(responses.get("503"))).get("headers")).get("Retry-After"));
                assertThat(retryAfter.get("example")).as("Retry-After of %s", operationKey)
                        .hasToString(ReadinessGate.RETRY_AFTER_SECONDS);
            }
        }
    }

    /** Operations that take a submission body refuse other legal entities with 403 and the pointer the code gives. */
    @Test
    void operationsTakingASubmissionDocumentTheLegalEntity403() {
        forEachOperation((key, operation) -> {
            Map<String, Object> body = operation.get("requestBody") == null ? null : map(operation.get("requestBody"));
            Object json = body == null ? null : map(body.get("content")).get("application/json");
            Object schema = json == null ? null : map(map(json).get("schema")).get("$ref");
            if ("#/components/schemas/Submission".equals(schema)) {
                List<Map<String, Object>> examples = new ArrayList<>();
                collectProblemExamples(resolve(map(map(operation.get("responses")).get("403"))), examples);
                assertThat(examples).as("403 examples of %s", key).anySatisfy(e -> assertThat(e.get("errors"))
                        .asString().contains("/context/legalEntity"));
            }
        });
    }

    // ---- limits and credentials ----------------------------------------------------------------------------------

    /** The spec's context is the JSON Schema's: the same properties, required set, types, lengths, patterns, enums. */
    @Test
    void contextLimitsAreTheJsonSchemas() throws IOException {
        JsonNode context = new ObjectMapper().readTree(JSON_SCHEMA.toFile()).path("$defs").path("context");
        Map<String, Object> specContext = map(map(map(spec.get("components")).get("schemas")).get("SubmissionContext"));
        Map<String, Object> specProperties = map(specContext.get("properties"));
        Set<String> schemaProperties = new TreeSet<>();
        context.path("properties").fieldNames().forEachRemaining(schemaProperties::add);
        assertThat(new TreeSet<>(specProperties.keySet())).as("context properties").isEqualTo(schemaProperties);
        assertThat(new HashSet<>((List<?>) specContext.get("required"))).as("required")
                .isEqualTo(StreamSupport.stream(context.path("required").spliterator(), false).map(JsonNode::asText)
                        .collect(Collectors.toSet()));
        assertThat(specContext.get("additionalProperties")).isEqualTo(context.path("additionalProperties").asBoolean());
        for (String name : schemaProperties) {
            JsonNode expected = context.path("properties").path(name);
            Map<String, Object> actual = map(specProperties.get(name));
            assertSameKeywords("context." + name, expected, actual);
        }
        JsonNode variables = context.path("properties").path("variables");
        Map<String, Object> specVariables = map(specProperties.get("variables"));
        assertSameKeywords("context.variables propertyNames", variables.path("propertyNames"),
                map(specVariables.get("x-propertyNames")));
        Set<String> valueTypes = StreamSupport.stream(variables.path("additionalProperties").path("type").spliterator(), false)
                .map(JsonNode::asText).collect(Collectors.toSet());
        List<?> oneOf = (List<?>) map(specVariables.get("additionalProperties")).get("oneOf");
        assertThat(oneOf.stream().map(o -> map(o).get("type")).collect(Collectors.toSet())).as("variable value types")
                .isEqualTo(valueTypes);
        int maxLength = variables.path("additionalProperties").path("maxLength").asInt();
        assertThat(oneOf).as("variable value length").anySatisfy(o ->
                assertThat(map(o)).containsEntry("type", "string").containsEntry("maxLength", maxLength));
    }

    /** What the code refuses with 400 invalid-header is what the spec states. */
    @Test
    void idempotencyKeyLimitsAreTheCodes() {
        Map<String, Object> parameter = map(map(map(spec.get("components")).get("parameters")).get("IdempotencyKey"));
        Map<String, Object> schema = map(parameter.get("schema"));
        assertThat(schema.get("maxLength")).isEqualTo(ErpApi.IDEMPOTENCY_KEY_MAX_LENGTH);
        assertThat(schema.get("pattern")).isEqualTo(ErpApi.IDEMPOTENCY_KEY_PATTERN);
    }

    /** API key as bearer or in the hub's own header, and JWT access tokens; open ({}) on the embedded defaults. */
    @Test
    @SuppressWarnings("unchecked")
    void securitySchemesAreTheCredentialsTheHubAccepts() {
        Map<String, Object> schemes = map(map(spec.get("components")).get("securitySchemes"));
        List<Map<String, Object>> all = schemes.values().stream().map(OpenApiSpecTest::map).toList();
        assertThat(all).as("API key header").anySatisfy(s -> assertThat(s).containsEntry("type", "apiKey")
                .containsEntry("in", "header").containsEntry("name", ApiSecurityConfiguration.API_KEY_HEADER));
        assertThat(all).as("bearer API key").anySatisfy(s -> assertThat(s).containsEntry("type", "http")
                .containsEntry("scheme", "bearer").doesNotContainKey("bearerFormat"));
        assertThat(all).as("JWT").anySatisfy(s -> assertThat(s).containsEntry("type", "http")
                .containsEntry("scheme", "bearer").containsEntry("bearerFormat", "JWT"));
        Set<String> global = new HashSet<>();
        ((List<?>) spec.get("security")).forEach(requirement -> global.addAll(map(requirement).keySet()));
        assertThat(global).as("global security names every scheme").isEqualTo(schemes.keySet());
        assertThat((List<Object>) spec.get("security")).as("open on the embedded defaults").contains(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static void assertSameKeywords(String what, JsonNode expected, Map<String, Object> actual) {
        for (String keyword : List.of("type", "minLength", "maxLength", "pattern", "maxProperties")) {
            JsonNode value = expected.path(keyword);
            if (value.isMissingNode() || value.isArray()) {
                if (!value.isArray()) {
                    assertThat(actual).as("%s has no %s in the JSON Schema", what, keyword).doesNotContainKey(keyword);
                }
                continue;
            }
            Object expectedValue = value.isInt() ? (Object) value.asInt() : value.asText();
            assertThat(actual.get(keyword)).as("%s %s", what, keyword).isEqualTo(expectedValue);
        }
        if (expected.has("enum")) {
            assertThat((List<Object>) actual.get("enum")).as("%s enum", what).containsExactlyElementsOf(
                    StreamSupport.stream(expected.path("enum").spliterator(), false).map(JsonNode::asText).toList());
        }
    }

    private static void assertProblemResponse(String operation, Map<String, Object> responses, String code, ProblemType type) {
        assertThat(responses).as("responses of %s", operation).containsKey(code);
        Map<String, Object> response = resolve(map(responses.get(code)));
        List<Map<String, Object>> examples = new ArrayList<>();
        collectProblemExamples(response, examples);
        assertThat(examples).as("%s %s examples", operation, code).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("type")).isEqualTo(type.uri()));
    }

    /** Objects under an {@code example} or an {@code examples.*.value} that look like problem documents. */
    private static void collectProblemExamples(Object node, List<Map<String, Object>> found) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("status") instanceof Integer && m.containsKey("title") && m.containsKey("detail")) {
                found.add(map(m));
                return;
            }
            m.values().forEach(v -> collectProblemExamples(v, found));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectProblemExamples(v, found));
        }
    }

    private static Set<String> specOperations() {
        Set<String> operations = new TreeSet<>();
        forEachOperation((key, operation) -> operations.add(key));
        return operations;
    }

    /** "VERB /path" for every verb under the {@code rest} element, its path prefixed by {@code rest.path}. */
    private static Set<String> routeOperations() {
        Set<String> operations = new TreeSet<>();
        assertThat(routes).isInstanceOf(List.class);
        for (Object element : (List<?>) routes) {
            Map<String, Object> rest = map(element).containsKey("rest") ? map(map(element).get("rest")) : null;
            if (rest == null) {
                continue;
            }
            String base = rest.get("path") == null ? "" : rest.get("path").toString();
            rest.forEach((verb, list) -> {
                if (VERBS.contains(verb)) {
                    for (Object op : (List<?>) list) {
                        Object path = map(op).get("path");
                        operations.add(verb.toUpperCase(Locale.ROOT) + " " + join(base, path == null ? "" : path.toString()));
                    }
                }
            });
        }
        assertThat(operations).as("REST operations in " + ROUTES).isNotEmpty();
        return operations;
    }

    private static String join(String base, String path) {
        String joined = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + (path.isEmpty() || path.startsWith("/") ? path : "/" + path);
        return joined.isEmpty() ? "/" : joined;
    }

    private static void forEachOperation(java.util.function.BiConsumer<String, Map<String, Object>> action) {
        map(spec.get("paths")).forEach((path, item) -> map(item).forEach((verb, operation) -> {
            if (VERBS.contains(verb)) {
                action.accept(verb.toUpperCase(Locale.ROOT) + " " + path, map(operation));
            }
        }));
    }

    private static Map<String, Object> resolve(Map<String, Object> node) {
        Set<String> seen = new HashSet<>();
        while (node != null && node.get("$ref") instanceof String ref) {
            assertThat(seen.add(ref)).as("reference cycle at " + ref).isTrue();
            Object target = spec;
            for (String part : ref.substring(2).split("/")) {
                target = target instanceof Map<?, ?> m ? m.get(part.replace("~1", "/").replace("~0", "~")) : null;
            }
            node = target == null ? null : map(target);
        }
        return node;
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k) && v instanceof String s) {
                    refs.add(s);
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, refs));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    private static Object read(Path file) throws IOException {
        assertThat(file).as("run from the project directory").isRegularFile();
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
    }
}
