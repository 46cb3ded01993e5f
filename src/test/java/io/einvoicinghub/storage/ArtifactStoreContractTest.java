package io.einvoicinghub.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ArtifactStore} backend must do. Subclasses provide a fresh store; every test works under its
 * own random top-level prefix, so backends that share state between tests (one blob container) stay isolated.
 */
abstract class ArtifactStoreContractTest {

    protected ArtifactStore store;
    /** e.g. {@code t3f2a.../} */
    protected String base;

    /** A store ready for use; called before each test. */
    protected abstract ArtifactStore createStore() throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
        base = "t" + UUID.randomUUID().toString().replace("-", "") + "/";
    }

    @Test
    void putThenGetReturnsTheSameBytesWithSizeAndSha256() {
        byte[] content = "{\"invoice\":\"INV-1\"}".getBytes(StandardCharsets.UTF_8);
        String key = base + "acme/2025/01/31/sub-1/01-submission.json";

        StoredArtifact stored = store.put(key, content, "application/json");

        assertThat(stored.key()).isEqualTo(key);
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(stored.contentType()).isEqualTo("application/json");
        assertThat(store.get(key)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(content));
    }

    @Test
    void putFromAStreamStoresWhatTheStreamYieldsWithSizeAndSha256() throws IOException {
        byte[] content = randomBytes(3 * 1024 * 1024 + 17, 11); // several copy chunks and a partial one
        String key = base + "streamed/output.xml";

        StoredArtifact stored = store.put(key, new java.io.ByteArrayInputStream(content), "application/xml");

        assertThat(stored.key()).isEqualTo(key);
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(stored.contentType()).isEqualTo("application/xml");
        assertThat(store.get(key)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(content));
    }

    @Test
    void putReplacesAnEarlierArtifactOfTheSameKey() {
        String key = base + "overwrite/report.xml";
        store.put(key, "first version, rather long".getBytes(StandardCharsets.UTF_8), "application/xml");

        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        StoredArtifact stored = store.put(key, second, "application/xml");

        assertThat(stored.size()).isEqualTo(second.length);
        assertThat(stored.sha256()).isEqualTo(sha256(second));
        assertThat(store.get(key)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(second));
        assertThat(store.list(base + "overwrite/")).containsExactly(key);
    }

    @Test
    void openStreamsTheContent() throws IOException {
        byte[] content = randomBytes(300_000, 7);
        String key = base + "stream/blob.bin";
        store.put(key, content, "application/octet-stream");

        Optional<InputStream> opened = store.open(key);

        assertThat(opened).isPresent();
        try (InputStream in = opened.get()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void existsOnlyForStoredKeys() {
        String key = base + "exists/a.json";
        assertThat(store.exists(key)).isFalse();

        store.put(key, new byte[] {1}, "application/json");

        assertThat(store.exists(key)).isTrue();
        assertThat(store.exists(base + "exists/a.jso")).isFalse();
        assertThat(store.exists(base + "exists/a.json.bak")).isFalse();
        assertThat(store.exists(base + "exists")).as("a folder-like prefix is not an artifact").isFalse();
    }

    @Test
    void listReturnsTheKeysUnderThePrefixSortedAndNothingElse() {
        List<String> keys = List.of(
                base + "acme/2025/02/01/s2/01-submission.json",
                base + "acme/2025/01/31/s1/02-ubl.xml",
                base + "acme/2025/01/31/s1/01-submission.json",
                base + "acme/2025/01/31/s1/03-report.json");
        keys.forEach(k -> store.put(k, k.getBytes(StandardCharsets.UTF_8), "text/plain"));
        store.put(base + "acme-other/2025/01/31/x/01-submission.json", new byte[] {1}, "text/plain");
        store.put(base + "acmeX.json", new byte[] {1}, "text/plain");
        store.put(base + "globex/2025/01/31/s9/01-submission.json", new byte[] {1}, "text/plain");

        assertThat(store.list(base + "acme/")).containsExactly(
                base + "acme/2025/01/31/s1/01-submission.json",
                base + "acme/2025/01/31/s1/02-ubl.xml",
                base + "acme/2025/01/31/s1/03-report.json",
                base + "acme/2025/02/01/s2/01-submission.json");
        assertThat(store.list(base + "acme/2025/01/31/s1/")).hasSize(3);
        assertThat(store.list(base + "acme/2025/01/31/s1"))
                .as("a prefix without the trailing '/' means the same folder")
                .isEqualTo(store.list(base + "acme/2025/01/31/s1/"));
        assertThat(store.list(base + "nothing-here/")).isEmpty();
        assertThat(store.list(base)).hasSize(7).isSorted();
    }

    @Test
    void binaryContentSurvivesByteForByte() {
        byte[] content = new byte[256 * 4];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        String key = base + "bin/all-bytes.bin";

        StoredArtifact stored = store.put(key, content, "application/octet-stream");

        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(store.get(key)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(content));
    }

    @Test
    void utf8ContentSurvives() {
        String text = "Rechnung für Müller & Søn – 100 € – 請求書 – \uD83D\uDCC4\n";
        String key = base + "text/note.txt";

        store.put(key, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=UTF-8");

        assertThat(new String(store.get(key).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void emptyContentIsAnArtifactToo() {
        String key = base + "empty/nothing.txt";

        StoredArtifact stored = store.put(key, new byte[0], "text/plain");

        assertThat(stored.size()).isZero();
        assertThat(stored.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(store.exists(key)).isTrue();
        assertThat(store.get(key)).hasValueSatisfying(bytes -> assertThat(bytes).isEmpty());
    }

    @Test
    void twentyMegabyteArtifactRoundTrips() throws IOException {
        byte[] content = randomBytes(20 * 1024 * 1024, 2025);
        String key = base + "big/20mb.bin";

        long t0 = System.nanoTime();
        StoredArtifact stored = store.put(key, content, "application/octet-stream");
        long t1 = System.nanoTime();
        byte[] read = store.get(key).orElseThrow();
        long t2 = System.nanoTime();
        String streamedSha;
        try (InputStream in = store.open(key).orElseThrow()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
            }
            streamedSha = HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long t3 = System.nanoTime();
        System.out.printf("[timing] %s: 20 MB put %d ms, get %d ms, open+read %d ms%n", store.backendName(),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);

        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(read).isEqualTo(content);
        assertThat(streamedSha).isEqualTo(stored.sha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a//b", "a/../b", "", "./a", "a/", "a\\b", "a/b c", "a/\u0000b"})
    void unsafeKeysAreRejectedByEveryOperation(String key) {
        assertThatThrownBy(() -> store.put(key, new byte[] {1}, "text/plain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.exists(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullKeyIsRejected() {
        assertThatThrownBy(() -> store.put(null, new byte[] {1}, "text/plain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../", "/abs/", "a//b/", "a/../b/"})
    void unsafePrefixesAreRejected(String prefix) {
        assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingKeyIsEmptyNotAnError() {
        String key = base + "missing/none.json";

        assertThat(store.get(key)).isEmpty();
        assertThat(store.open(key)).isEmpty();
        assertThat(store.exists(key)).isFalse();
    }

    @Test
    void backendHasAName() {
        assertThat(store.backendName()).isNotBlank();
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
