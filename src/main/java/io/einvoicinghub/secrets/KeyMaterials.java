package io.einvoicinghub.secrets;

import eu.europa.esig.dss.model.DSSException;
import eu.europa.esig.dss.token.AbstractKeyStoreTokenConnection;
import eu.europa.esig.dss.token.KSPrivateKeyEntry;
import eu.europa.esig.dss.token.SignatureTokenConnection;
import org.springframework.stereotype.Component;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Certificates by name, for mutual TLS and signing: from the local PKCS#12 keystore
 * ({@code <secrets dir>/certificates.p12}, password in secret {@code keystore-password}, alias = name) or,
 * as Azure Key Vault returns certificates, from a secret holding a base64 PKCS#12 (password, if any, in
 * secret {@code <name>.password}; on Key Vault that is {@code <name>-password}, see
 * {@link AzureKeyVaultSecretStore#keyVaultName(String)}). A Key Vault certificate with its private key is read
 * through the secrets API under the certificate's name (content type {@code application/x-pkcs12}, no password).
 * Passwords and keys never leave this class except inside a KeyStore object or a signing token; messages
 * name the certificate, never a value.
 */
@Component
public class KeyMaterials {

    public static final String KEYSTORE_FILE = "certificates.p12";
    public static final String KEYSTORE_PASSWORD = "keystore-password";

    private final SecretStore secrets;
    private final Path keystore;

    public KeyMaterials(SecretStore secrets, SecretsProperties properties) {
        this.secrets = secrets;
        this.keystore = Path.of(properties.local().dir()).resolve(KEYSTORE_FILE);
    }

    /** A loaded PKCS#12 holding entry {@code alias}, with the password that opens it and its keys. */
    private record Loaded(KeyStore store, char[] password, String alias) {
    }

    public boolean exists(String name) {
        return fromKeystore(name) != null || secrets.exists(name);
    }

    /** A TLS context presenting certificate {@code name} (trusting the JVM's default authorities). */
    public SSLContext clientTlsContext(String name) {
        Loaded loaded = load(name);
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(loaded.store(), loaded.password());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("Certificate '" + name + "' cannot be loaded (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * A mutual-TLS context presenting certificate {@code keyName} and trusting only the certificates stored under
     * {@code trustedName} (e.g. the CA of the other side, a certificate entry without key); with no
     * {@code trustedName}, the JVM's default authorities. Serves a client (SDI's SdIRiceviFile) and a server
     * (the hub's TrasmissioneFatture endpoint) alike.
     */
    public SSLContext tlsContext(String keyName, String trustedName) {
        Loaded loaded = load(keyName);
        List<X509Certificate> anchors = trustedName == null || trustedName.isBlank() ? List.of() : certificateChain(trustedName);
        try {
            // only the named entry: from a keystore of several keys the JDK would present whichever fits first
            KeyStore.Entry entry = loaded.store().getEntry(loaded.alias(), new KeyStore.PasswordProtection(loaded.password()));
            if (!(entry instanceof KeyStore.PrivateKeyEntry)) {
                throw new IllegalStateException("Certificate '" + keyName + "' has no private key: it cannot authenticate TLS");
            }
            KeyStore single = KeyStore.getInstance("PKCS12");
            single.load(null, null);
            single.setEntry(loaded.alias(), entry, new KeyStore.PasswordProtection(loaded.password()));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(single, loaded.password());
            javax.net.ssl.TrustManager[] trust = null;
            if (!anchors.isEmpty()) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                for (int i = 0; i < anchors.size(); i++) {
                    trusted.setCertificateEntry("trusted-" + i, anchors.get(i));
                }
                javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
                trust = tmf.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trust, null);
            return context;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Certificate '" + keyName + "' or trusted certificate '" + trustedName
                    + "' cannot be loaded (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The private key of certificate {@code name} as a DSS signing token: {@link SigningToken#key()} is the
     * entry (key, certificate, chain) to put in signature parameters, {@link SigningToken#token()} signs with
     * it. Close it after use.
     *
     * @throws SecretStore.SecretNotFoundException when neither the keystore nor the secret store has the name
     * @throws IllegalStateException               when the entry holds no private key or cannot be opened
     */
    public SigningToken signingToken(String name) {
        Loaded loaded = load(name);
        KeyStore.PrivateKeyEntry entry;
        try {
            KeyStore.Entry raw = loaded.store().getEntry(loaded.alias(), new KeyStore.PasswordProtection(loaded.password()));
            if (!(raw instanceof KeyStore.PrivateKeyEntry privateKey)) {
                throw new IllegalStateException("Certificate '" + name + "' has no private key: it cannot sign");
            }
            entry = privateKey;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("The private key of certificate '" + name + "' cannot be opened ("
                    + e.getClass().getSimpleName() + ")");
        }
        KSPrivateKeyEntry key = new KSPrivateKeyEntry(loaded.alias(), entry);
        return new SigningToken(name, key, new LoadedKeyStoreToken(loaded));
    }

    /** The certificate chain stored under {@code name} (signer first), without opening a private key. */
    public List<X509Certificate> certificateChain(String name) {
        Loaded loaded = load(name);
        try {
            Certificate[] chain = loaded.store().getCertificateChain(loaded.alias());
            if (chain == null || chain.length == 0) {
                Certificate single = loaded.store().getCertificate(loaded.alias());
                chain = single == null ? new Certificate[0] : new Certificate[]{single};
            }
            if (chain.length == 0) {
                throw new IllegalStateException("Certificate '" + name + "' holds no certificate");
            }
            return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Certificate '" + name + "' cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The aliases of the local keystore (empty when there is none or it cannot be opened). */
    public List<String> keystoreAliases() {
        Optional<KeyStore> store = openKeystore();
        if (store.isEmpty()) {
            return List.of();
        }
        try {
            List<String> aliases = new ArrayList<>(Collections.list(store.get().aliases()));
            Collections.sort(aliases);
            return aliases;
        } catch (Exception e) {
            return List.of();
        }
    }

    private Loaded load(String name) {
        KeyStore store = fromKeystore(name);
        if (store != null) {
            return new Loaded(store, secrets.get(KEYSTORE_PASSWORD).value().toCharArray(), name);
        }
        SecretStore.Secret secret = secrets.get(name); // SecretNotFoundException names the entry and the backend
        char[] password = secrets.find(name + ".password").map(s -> s.value().toCharArray()).orElse(new char[0]);
        try {
            KeyStore fromSecret = KeyStore.getInstance("PKCS12");
            fromSecret.load(new ByteArrayInputStream(Base64.getMimeDecoder().decode(secret.value())), password);
            String alias = Collections.list(fromSecret.aliases()).stream()
                    .filter(a -> isKeyEntry(fromSecret, a)).findFirst()
                    .orElseGet(() -> Collections.list(aliases(fromSecret)).stream().findFirst()
                            .orElseThrow(() -> new IllegalStateException("Certificate '" + name + "' is an empty PKCS#12")));
            return new Loaded(fromSecret, password, alias);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Certificate '" + name + "' cannot be loaded from the secret store as a base64 PKCS#12 ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (Exception e) {
            return false;
        }
    }

    private static java.util.Enumeration<String> aliases(KeyStore store) {
        try {
            return store.aliases();
        } catch (Exception e) {
            return Collections.emptyEnumeration();
        }
    }

    /**
     * The local keystore, loaded again only when its file (modification time, size) or its password changed: a
     * PKCS#12 load runs the password through PBKDF2 twice (MAC and certificate bag), which measured ~8 ms of CPU per
     * signature (bench/README.md). The private keys stay encrypted inside; each signing token decrypts its own.
     */
    private Optional<KeyStore> openKeystore() {
        if (!Files.exists(keystore) || !secrets.exists(KEYSTORE_PASSWORD)) {
            return Optional.empty();
        }
        try {
            String password = secrets.get(KEYSTORE_PASSWORD).value();
            java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(keystore);
            long size = Files.size(keystore);
            LoadedKeystore current = loadedKeystore;
            if (current != null && current.modified().equals(modified) && current.size() == size
                    && java.security.MessageDigest.isEqual(current.passwordDigest(), digest(password))) {
                return Optional.of(current.store());
            }
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                loadedKeystore = new LoadedKeystore(modified, size, digest(password), store);
                return Optional.of(store);
            }
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The keystore as last loaded, with what identifies that load (the password only as a SHA-256 digest). */
    private record LoadedKeystore(java.nio.file.attribute.FileTime modified, long size, byte[] passwordDigest, KeyStore store) {
    }

    private volatile LoadedKeystore loadedKeystore;

    private static byte[] digest(String password) throws java.security.NoSuchAlgorithmException {
        return java.security.MessageDigest.getInstance("SHA-256").digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private KeyStore fromKeystore(String name) {
        KeyStore store = openKeystore().orElse(null);
        try {
            return store != null && store.containsAlias(name) ? store : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * A signing key from the store: the DSS entry and the token that signs with it. The key's password is
     * held only by the token and cleared on {@link #close()}.
     */
    public static final class SigningToken implements AutoCloseable {
        private final String name;
        private final KSPrivateKeyEntry key;
        private final SignatureTokenConnection token;

        SigningToken(String name, KSPrivateKeyEntry key, SignatureTokenConnection token) {
            this.name = name;
            this.key = key;
            this.token = token;
        }

        public String name() {
            return name;
        }

        public KSPrivateKeyEntry key() {
            return key;
        }

        public SignatureTokenConnection token() {
            return token;
        }

        @Override
        public void close() {
            token.close();
        }

        @Override
        public String toString() {
            return "SigningToken[" + name + "]";
        }
    }

    /** DSS's keystore token over a keystore this class already opened (no second loading code). */
    private static final class LoadedKeyStoreToken extends AbstractKeyStoreTokenConnection {
        private final KeyStore store;
        private final KeyStore.PasswordProtection protection;

        LoadedKeyStoreToken(Loaded loaded) {
            this.store = loaded.store();
            this.protection = new KeyStore.PasswordProtection(loaded.password());
        }

        @Override
        protected KeyStore getKeyStore() throws DSSException {
            return store;
        }

        @Override
        protected KeyStore.PasswordProtection getKeyProtectionParameter() {
            return protection;
        }

        @Override
        public void close() {
            try {
                protection.destroy();
            } catch (javax.security.auth.DestroyFailedException e) {
                // nothing more to clear
            }
        }
    }
}
