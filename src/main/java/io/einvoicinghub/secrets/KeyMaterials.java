package io.einvoicinghub.secrets;

import org.springframework.stereotype.Component;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;

/**
 * Certificates by name, for mutual TLS and signing: from the local PKCS#12 keystore
 * ({@code <secrets dir>/certificates.p12}, password in secret {@code keystore-password}, alias = name) or,
 * as Azure Key Vault returns certificates, from a secret holding a base64 PKCS#12 (password, if any, in
 * secret {@code <name>.password}; on Key Vault that is {@code <name>-password}, see
 * {@link AzureKeyVaultSecretStore#keyVaultName(String)}). A Key Vault certificate with its private key is read
 * through the secrets API under the certificate's name (content type {@code application/x-pkcs12}, no password).
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

    public boolean exists(String name) {
        return fromKeystore(name) != null || secrets.exists(name);
    }

    /** A TLS context presenting certificate {@code name} (trusting the JVM's default authorities). */
    public SSLContext clientTlsContext(String name) {
        try {
            KeyStore store = fromKeystore(name);
            char[] password;
            if (store != null) {
                password = secrets.get(KEYSTORE_PASSWORD).value().toCharArray();
            } else {
                password = secrets.find(name + ".password").map(s -> s.value().toCharArray()).orElse(new char[0]);
                store = KeyStore.getInstance("PKCS12");
                store.load(new ByteArrayInputStream(Base64.getMimeDecoder().decode(secrets.get(name).value())), password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (SecretStore.SecretNotFoundException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Certificate '" + name + "' cannot be loaded (" + e.getClass().getSimpleName() + ")");
        }
    }

    private KeyStore fromKeystore(String name) {
        if (!Files.exists(keystore)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secrets.get(KEYSTORE_PASSWORD).value().toCharArray());
            return store.containsAlias(name) ? store : null;
        } catch (Exception e) {
            return null;
        }
    }
}
