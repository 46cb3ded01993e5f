package io.einvoicinghub.api;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/openapi.yaml} in step with the REST routes in {@code routes/api/erp-api.camel.yaml}:
 * the same operations on both sides, each with an operationId and the answers an ERP must expect.
 */
class OpenApiSpecTest {

    private static final Path SPEC = Path.of("docs/openapi.yaml");
    private static final Path ROUTES = Path.of("routes/api/erp-api.camel.yaml");
    /** The console's operations of the same API, in a file of their own. */
    private static final Path CONSOLE_ROUTES = Path.of("routes/api/console-api.camel.yaml");
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static Map<String, Object> spec;
    private static Object routes;

    @BeforeAll
    static void load() throws IOException {
        spec = map(read(SPEC));
        List<Object> all = new ArrayList<>((List<?>) read(ROUTES));
        all.addAll((List<?>) read(CONSOLE_ROUTES));
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
