package io.einvoicinghub.signing;

import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.TestKeyVault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the signing tests' keys come from — the same {@link TestPki} certificates either in the local keystore
 * ({@code certificates.p12} + secrets file) or in Azure Key Vault (each certificate a base64 PKCS#12 secret, read
 * through the real Azure SDK over TLS from {@link io.einvoicinghub.secrets.KeyVaultTestServer}). Each store is made
 * once per test JVM; the vault server stops when the JVM ends.
 */
public enum SigningStore {
    LOCAL_KEYSTORE,
    KEY_VAULT;

    private TestPki pki;
    private SigningCertificates certificates;

    public synchronized TestPki pki() {
        open();
        return pki;
    }

    /** The hub's SigningCertificates over this store (warning 30 days before expiry). */
    public synchronized SigningCertificates certificates() {
        open();
        return certificates;
    }

    private void open() {
        if (certificates != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("signing-" + name().toLowerCase(java.util.Locale.ROOT));
            dir.toFile().deleteOnExit();
            pki = new TestPki(dir.resolve("secrets"));
            CertificateProperties properties = new CertificateProperties(30, List.of(TestPki.SECRET_RSA));
            if (this == LOCAL_KEYSTORE) {
                certificates = new SigningCertificates(pki.keyMaterials(), properties);
            } else {
                TestKeyVault vault = new TestKeyVault();
                Runtime.getRuntime().addShutdownHook(new Thread(vault::close, "key-vault-test-server-stop"));
                pki.publishTo(vault.server());
                Path empty = Files.createDirectories(dir.resolve("no-local-secrets"));
                KeyMaterials keys = new KeyMaterials(vault.secretStore(Duration.ofMinutes(5)),
                        vault.properties(Duration.ofMinutes(5), empty.toString()));
                certificates = new SigningCertificates(keys, properties);
            }
        } catch (Exception e) {
            throw new IllegalStateException("signing test store " + this + " could not be made", e);
        }
    }
}
