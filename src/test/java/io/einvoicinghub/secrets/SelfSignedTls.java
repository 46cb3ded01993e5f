package io.einvoicinghub.secrets;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A key pair and self-signed certificate made in the test with the JDK's {@code keytool} (no certificate is checked
 * in): a PKCS#12 keystore, its password and the certificate, for a test TLS server or a client certificate.
 */
public record SelfSignedTls(byte[] pkcs12, char[] password, String alias, X509Certificate certificate) {

    /** A certificate for {@code CN=<commonName>} valid for localhost and 127.0.0.1. */
    public static SelfSignedTls generate(String commonName) {
        try {
            Path dir = Files.createTempDirectory("tls-");
            Path file = dir.resolve("key.p12");
            String password = UUID.randomUUID().toString();
            String alias = "key";
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                    "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=" + commonName, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", password, "-keypass", password))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            Files.delete(dir);
            KeyStore store = load(bytes, password.toCharArray());
            return new SelfSignedTls(bytes, password.toCharArray(), alias, (X509Certificate) store.getCertificate(alias));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public KeyStore keyStore() {
        return load(pkcs12, password);
    }

    /** A server-side TLS context presenting this certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(byte[] bytes, char[] password) {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
