package io.einvoicinghub.submission;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.tools.LargeInvoiceGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The content hash is written straight into the digest; it must stay the hash of the canonical copy it was before,
 * or submissions stored earlier would no longer be recognised as the same content (idempotency, duplicates).
 */
class ContentHashTest {

    private static String hashOfCanonicalCopy(JsonNode node) throws Exception {
        byte[] text = UnifiedJson.mapper().writeValueAsString(UnifiedJson.canonicalCopy(node)).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    }

    @Test
    void streamedHashEqualsTheHashOfTheCanonicalCopyForEverySample() throws Exception {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("samples/valid"))) {
            samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(samples).isNotEmpty();
        for (Path sample : samples) {
            JsonNode node = UnifiedJson.parse(Files.readAllBytes(sample));
            assertThat(UnifiedJson.contentHash(node)).as(sample.toString()).isEqualTo(hashOfCanonicalCopy(node));
        }
        JsonNode large = UnifiedJson.parse(LargeInvoiceGenerator.generate(500).getBytes(StandardCharsets.UTF_8));
        assertThat(UnifiedJson.contentHash(large)).isEqualTo(hashOfCanonicalCopy(large));
    }

    @Test
    void numbersCountByValueKeysInAnyOrderAndOtherContentHashesOtherwise() throws Exception {
        JsonNode a = UnifiedJson.parse("{\"b\":[1360.00,0.0,-1E+2,\"€ ü\",null,true],\"a\":{\"y\":1,\"x\":2.50}}".getBytes(StandardCharsets.UTF_8));
        JsonNode same = UnifiedJson.parse("{\"a\":{\"x\":2.5,\"y\":1.0},\"b\":[1360,0,-100,\"€ ü\",null,true]}".getBytes(StandardCharsets.UTF_8));
        JsonNode other = UnifiedJson.parse("{\"a\":{\"x\":2.51,\"y\":1},\"b\":[1360,0,-100,\"€ ü\",null,true]}".getBytes(StandardCharsets.UTF_8));

        assertThat(UnifiedJson.contentHash(a)).isEqualTo(hashOfCanonicalCopy(a)).isEqualTo(UnifiedJson.contentHash(same));
        assertThat(UnifiedJson.contentHash(other)).isNotEqualTo(UnifiedJson.contentHash(a));
    }
}
