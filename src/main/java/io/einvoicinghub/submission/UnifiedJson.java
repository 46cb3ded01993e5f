package io.einvoicinghub.submission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes unified JSON without losing what the ERP wrote: decimals stay exact with their scale
 * ("1000.00" stays "1000.00"), duplicate keys are refused, and nesting depth is bounded.
 */
public final class UnifiedJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxNumberLength(64).maxStringLength(50_000_000).build());
    }

    private UnifiedJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode parse(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] writePretty(JsonNode node) {
        try {
            return MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SHA-256 of the canonical form (keys sorted, no whitespace, numbers by value): the same content always
     * hashes the same.
     */
    public static String contentHash(JsonNode node) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // written straight into the digest: a canonical copy of the tree and its text would double the memory a
        // 100,000-line invoice needs at intake
        try (JsonGenerator g = MAPPER.writer().createGenerator(new java.security.DigestOutputStream(
                java.io.OutputStream.nullOutputStream(), sha), com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            writeCanonical(node, g);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The canonical form of {@link #canonical}, written without building it. */
    private static void writeCanonical(JsonNode node, JsonGenerator g) throws IOException {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                g.writeFieldName(e.getKey());
                writeCanonical(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode child : node) {
                writeCanonical(child, g);
            }
            g.writeEndArray();
        } else if (node.isNumber()) {
            java.math.BigDecimal value = node.decimalValue();
            g.writeNumber(value.signum() == 0 ? java.math.BigDecimal.ZERO : value.stripTrailingZeros());
        } else {
            MAPPER.writeTree(g, node);
        }
    }

    /** The canonical copy that {@link #contentHash} hashes (kept as the reference the streamed form is tested against). */
    static JsonNode canonicalCopy(JsonNode node) {
        return canonical(node);
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            ObjectNode out = MAPPER.createObjectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = MAPPER.createArrayNode();
            node.forEach(child -> out.add(canonical(child)));
            return out;
        }
        if (node.isNumber()) {
            // by value, not by lexical form: 1360.00, 1360.0 and 1360 are the same amount (tools such as jq 1.6
            // rewrite numbers); the stored input keeps what the ERP wrote
            java.math.BigDecimal value = node.decimalValue();
            return DecimalNode.valueOf(value.signum() == 0 ? java.math.BigDecimal.ZERO : value.stripTrailingZeros());
        }
        return node;
    }
}
