package io.einvoicinghub.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps artifacts in a folder tree: key {@code a/b/c.xml} is the file {@code <root>/a/b/c.xml}.
 *
 * <p>Writes are atomic: the content goes to a temporary file in the target folder (its name contains '~', which
 * no key segment may contain, so it is never seen as an artifact), is fsync'ed, then renamed over the key with
 * {@link StandardCopyOption#ATOMIC_MOVE}. A crash leaves either the old artifact or the new one, never a half
 * written file under the key; at worst an orphan temporary file, which {@link #list(String)} ignores.
 */
public class LocalFolderArtifactStore implements ArtifactStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFolderArtifactStore.class);
    private static final int CHUNK = 64 * 1024;
    /** Marks temporary files; '~' is outside the key alphabet of {@link StorageKeys}. */
    static final String TEMP_MARKER = "~";

    private final Path root;

    public LocalFolderArtifactStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create storage root " + root, e);
        }
        LOG.info("Local folder artifact store at {}", this.root);
    }

    public Path root() {
        return root;
    }

    @Override
    public StoredArtifact put(String key, byte[] content, String contentType) {
        return write(key, new ByteArrayInputStream(content), contentType);
    }

    /** Copied through in chunks: the same atomic write, with no copy of the file in memory. */
    @Override
    public StoredArtifact put(String key, InputStream content, String contentType) {
        return write(key, content, contentType);
    }

    /**
     * Streams {@code content} into the artifact {@code key} atomically, computing SHA-256 and size on the way.
     * If reading {@code content} or writing fails, the temporary file is removed and an earlier artifact of the
     * same key stays untouched.
     */
    StoredArtifact write(String key, InputStream content, String contentType) {
        Path target = resolve(key);
        Path folder = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            // the folder may be the root itself; a symbolic link must not lead outside it
            if (!folder.toRealPath().startsWith(root)) {
                throw new IllegalArgumentException("Storage key escapes the storage root: " + key);
            }
            temp = Files.createTempFile(folder, target.getFileName() + TEMP_MARKER, ".tmp");
            MessageDigest digest = Sha256.newDigest();
            long size = 0;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[CHUNK];
                int read;
                while ((read = content.read(buffer)) != -1) {
                    ByteBuffer bb = ByteBuffer.wrap(buffer, 0, read);
                    while (bb.hasRemaining()) {
                        channel.write(bb);
                    }
                    digest.update(buffer, 0, read);
                    size += read;
                }
                channel.force(true);
            }
            moveAtomically(temp, target);
            temp = null;
            fsyncFolder(folder);
            return new StoredArtifact(key, size, Sha256.hex(digest), contentType);
        } catch (IOException e) {
            throw new StorageException("Cannot write artifact " + key, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("Cannot remove temporary file {}", temp, e);
                }
            }
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        Path path = resolve(key);
        try {
            return isArtifact(path, key) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Cannot read artifact " + key, e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) {
        Path path = resolve(key);
        try {
            return isArtifact(path, key) ? Optional.of(Files.newInputStream(path)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Cannot open artifact " + key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        Path path = resolve(key);
        try {
            return isArtifact(path, key);
        } catch (IOException e) {
            throw new StorageException("Cannot check artifact " + key, e);
        }
    }

    /** A regular file whose real location (symbolic links followed) is under the root. */
    private boolean isArtifact(Path path, String key) throws IOException {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        if (!path.toRealPath().startsWith(root)) {
            throw new IllegalArgumentException("Storage key escapes the storage root: " + key);
        }
        return true;
    }

    @Override
    public List<String> list(String prefix) {
        String normalised = StoragePrefixes.normalise(prefix);
        Path folder = normalised.isEmpty() ? root : resolve(normalised.substring(0, normalised.length() - 1));
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .filter(k -> !k.contains(TEMP_MARKER))
                    .forEach(keys::add);
        } catch (IOException e) {
            throw new StorageException("Cannot list artifacts under " + normalised, e);
        }
        keys.sort(null);
        return List.copyOf(keys);
    }

    @Override
    public int deleteUnaccepted(String prefix) {
        String normalised = StoragePrefixes.normalise(prefix);
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("Refusing to delete the whole storage root");
        }
        Path folder = resolve(normalised.substring(0, normalised.length() - 1));
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> paths = Files.walk(folder)) {
            // deepest first, so each folder is empty when its turn comes; temporary files go too
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                boolean file = Files.isRegularFile(p);
                Files.deleteIfExists(p);
                removed += file ? 1 : 0;
            }
        } catch (IOException e) {
            throw new StorageException("Cannot remove the unaccepted files under " + normalised, e);
        }
        removeEmptyParents(folder.getParent());
        return removed;
    }

    /** The day and legal-entity folders of a removed submission go too when nothing else is in them. */
    private void removeEmptyParents(Path folder) {
        for (Path p = folder; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            try (Stream<Path> entries = Files.list(p)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
                Files.delete(p);
            } catch (IOException e) {
                return; // another request is writing into it: leave it
            }
        }
    }

    @Override
    public String backendName() {
        return "local-folder";
    }

    @Override
    public String toString() {
        return "LocalFolderArtifactStore[" + root + "]";
    }

    private Path resolve(String key) {
        StorageKeys.requireSafe(key);
        Path path = root.resolve(key).normalize();
        ensureUnderRoot(path, key);
        return path;
    }

    private void ensureUnderRoot(Path path, String key) {
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("Storage key escapes the storage root: " + key);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // cannot happen within one folder on the usual file systems; refuse rather than risk a torn file
            throw new StorageException("The file system under " + to.getParent() + " does not support atomic moves", e);
        }
    }

    /** Makes the rename itself durable. Not supported on every platform (e.g. Windows): best effort. */
    private static void fsyncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot fsync folder {}: {}", folder, e.toString());
        }
    }
}
