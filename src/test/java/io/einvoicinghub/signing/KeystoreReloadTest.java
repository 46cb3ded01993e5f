package io.einvoicinghub.signing;

import io.einvoicinghub.secrets.KeyMaterials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local keystore is loaded once and again as soon as its file changes: a certificate removed or renewed is seen. */
class KeystoreReloadTest {

    @Test
    void aChangedKeystoreFileIsReadAgain(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki(dir.resolve("secrets"));
        KeyMaterials keys = pki.keyMaterials();
        try (var token = keys.signingToken(TestPki.EC)) {
            assertThat(token.key().getCertificate().getSubject().getRFC2253()).contains(TestPki.EC);
        }
        assertThat(keys.keystoreAliases()).contains(TestPki.EC, TestPki.RSA);

        // the operator removes sign-ec from the keystore file
        Path file = pki.secretsDir.resolve(KeyMaterials.KEYSTORE_FILE);
        char[] password = pki.keystorePassword().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        store.deleteEntry(TestPki.EC);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(keys.keystoreAliases()).doesNotContain(TestPki.EC).contains(TestPki.RSA);
        assertThatThrownBy(() -> keys.signingToken(TestPki.EC)).hasMessageContaining(TestPki.EC);
        try (var token = keys.signingToken(TestPki.RSA)) {
            assertThat(token.key().getCertificate().getSubject().getRFC2253()).contains(TestPki.RSA);
        }
    }
}
