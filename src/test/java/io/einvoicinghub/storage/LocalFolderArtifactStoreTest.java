package io.einvoicinghub.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalFolderArtifactStoreTest extends ArtifactStoreContractTest {

    @TempDir
    Path root;

    @Override
    protected ArtifactStore createStore() {
        return new LocalFolderArtifactStore(root.resolve("storage"));
    }

    private LocalFolderArtifactStore local() {
        return (LocalFolderArtifactStore) store;
    }

    @Test
    void keysMapOneToOneOntoRelativePaths() throws IOException {
        String key = base + "acme/2025/01/31/sub-1/01-submission.json";
        store.put(key, "x".getBytes(StandardCharsets.UTF_8), "application/json");

        Path file = local().root().resolve(key);
        assertThat(file).isRegularFile();
        assertThat(Files.readString(file)).isEqualTo("x");
        assertThat(store.backendName()).isEqualTo("local-folder");
    }

    @Test
    void aWriteThatFailsHalfWayLeavesNoPartialFileAndKeepsTheOldContent() throws IOException {
        String key = base + "crash/01-ubl.xml";
        byte[] old = "old complete content".getBytes(StandardCharsets.UTF_8);
        store.put(key, old, "application/xml");
        byte[] firstMegabyte = randomBytes(1024 * 1024, 1);
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(firstMegabyte), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk unplugged");
            }
        });

        assertThatThrownBy(() -> local().write(key, failing, "application/xml")).isInstanceOf(StorageException.class);

        assertThat(store.get(key)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(old));
        assertThat(filesUnder(local().root())).containsExactly(local().root().resolve(key));
        assertThat(store.list(base)).containsExactly(key);
    }

    @Test
    void aFirstWriteThatFailsLeavesNothingUnderTheKey() throws IOException {
        String key = base + "crash/02-first.xml";
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[70_000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("interrupted");
            }
        });

        assertThatThrownBy(() -> local().write(key, failing, "application/xml")).isInstanceOf(StorageException.class);

        assertThat(store.exists(key)).isFalse();
        assertThat(store.get(key)).isEmpty();
        assertThat(filesUnder(local().root())).isEmpty();
    }

    @Test
    void aTemporaryFileLeftByACrashIsNeverSeenAsAnArtifact() throws IOException {
        String key = base + "crash/03-report.json";
        store.put(key, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        // what a process killed between write and rename leaves behind
        Path orphan = local().root().resolve(base + "crash/03-report.json~12345.tmp");
        Files.write(orphan, "{\"half".getBytes(StandardCharsets.UTF_8));

        assertThat(store.list(base)).containsExactly(key);
        assertThat(store.get(key)).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{}"));
    }

    @Test
    void aSymbolicLinkCannotLeadOutOfTheRoot() throws IOException {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path link = local().root().resolve("escape");
        try {
            Files.createSymbolicLink(link, outside);
        } catch (UnsupportedOperationException | IOException e) {
            return; // file system without symbolic links: nothing to escape through
        }

        assertThatThrownBy(() -> store.put("escape/x.json", new byte[] {1}, "application/json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aFileReachedThroughASymbolicLinkOutsideTheRootIsNotRead() throws IOException {
        Path outside = Files.createDirectories(root.resolve("outside-read"));
        Files.writeString(outside.resolve("secret.txt"), "not yours");
        try {
            Files.createSymbolicLink(local().root().resolve("peek"), outside);
        } catch (UnsupportedOperationException | IOException e) {
            return;
        }

        assertThatThrownBy(() -> store.get("peek/secret.txt")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open("peek/secret.txt")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRootFolderIsCreated() {
        Path nested = root.resolve("a/b/c");
        LocalFolderArtifactStore created = new LocalFolderArtifactStore(nested);

        assertThat(nested).isDirectory();
        assertThat(created.list("")).isEmpty();
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
