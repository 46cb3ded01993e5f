package io.einvoicinghub.inbound;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real SFTP server in the test JVM (Apache MINA SSHD): a generated RSA host key, users with a password or a public
 * key, each jailed in its own home folder below {@code root}. Port 0: the system picks a free one.
 */
public final class SftpTestServer implements AutoCloseable {

    private final SshServer server = SshServer.setUpDefaultServer();
    private final KeyPair hostKey = rsa();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
    private final VirtualFileSystemFactory files = new VirtualFileSystemFactory();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Path root;

    public SftpTestServer(Path root) {
        this.root = root;
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(files);
        server.setPasswordAuthenticator((user, password, session) -> {
            attempts.merge(user, 1, Integer::sum);
            return password.equals(passwords.get(user));
        });
        server.setPublickeyAuthenticator((user, key, session) -> keys.containsKey(user) && KeyUtils.compareKeys(keys.get(user), key));
    }

    public SftpTestServer start() {
        try {
            server.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often a user tried a password (a client that refuses the host key never gets that far). */
    public int passwordAttempts(String user) {
        return attempts.getOrDefault(user, 0);
    }

    public int port() {
        return server.getPort();
    }

    /** A user logging in with a password; returns its home folder. */
    public Path passwordUser(String user, String password) {
        passwords.put(user, password);
        return home(user);
    }

    /** A user logging in with a key; returns its home folder. */
    public Path keyUser(String user, PublicKey key) {
        keys.put(user, key);
        return home(user);
    }

    /** The line a client's known_hosts needs for this server (OpenSSH format, {@code [host]:port}). */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** A known_hosts line for this address with some other server's key: what a client sees under a man in the middle. */
    public String wrongKnownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(rsa().getPublic());
    }

    private Path home(String user) {
        try {
            Path home = Files.createDirectories(root.resolve(user));
            files.setUserHomeDir(user, home);
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as an OpenSSH client reads it (PEM, "RSA PRIVATE KEY"). */
    public static String pem(KeyPair pair) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pair);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
