package io.einvoicinghub.secrets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The default secret store: environment variables {@code HUB_SECRET_<NAME>} (name upper-cased, other
 * characters as {@code _}) first, then the protected file {@code <dir>/secrets.properties} (owner-only
 * permissions), created empty on first run with a message saying where. The file is read again when it
 * changes, so a rotated value is used without a restart. Certificates live in a PKCS#12 keystore (see
 * {@link KeyMaterials}).
 */
public class LocalSecretStore implements SecretStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSecretStore.class);
    public static final String FILE_NAME = "secrets.properties";

    private final Path file;
    private final Map<String, String> environment;
    private volatile FileTime loadedStamp;
    private volatile Properties values = new Properties();

    public LocalSecretStore(Path dir, Map<String, String> environment) {
        this.file = dir.resolve(FILE_NAME);
        this.environment = environment;
        createOnFirstRun(dir);
    }

    private void createOnFirstRun(Path dir) {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            String header = "# einvoicing-hub secrets: one entry per line, name=value (e.g. ksef-token=...).\n"
                    + "# Keep this file readable by the hub's user only. Environment variables HUB_SECRET_<NAME> take precedence.\n";
            Files.writeString(file, header, StandardCharsets.UTF_8);
            restrict(file);
            LOG.warn("Created the local secret store {} (empty). Add the secrets your features name as name=value lines, "
                    + "or set HUB_SECRET_<NAME> environment variables", file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the local secret store " + file, e);
        }
    }

    static void restrict(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: protected by the folder's ACL instead
        }
    }

    @Override
    public Optional<Secret> find(String name) {
        String fromEnv = environment.get(environmentName(name));
        if (fromEnv != null) {
            return Optional.of(new Secret(name, null, fromEnv));
        }
        String value = current().getProperty(name);
        return Optional.ofNullable(value).map(v -> new Secret(name, null, v));
    }

    public static String environmentName(String name) {
        return "HUB_SECRET_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private Properties current() {
        try {
            FileTime stamp = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (stamp != null && !stamp.equals(loadedStamp)) {
                Properties loaded = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    loaded.load(reader);
                }
                values = loaded;
                loadedStamp = stamp;
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the local secret store {} ({}); using the entries read before", file, e.getClass().getSimpleName());
        }
        return values;
    }

    @Override
    public String describe() {
        return "local: " + file + " and HUB_SECRET_* environment variables";
    }
}
