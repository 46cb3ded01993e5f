package io.einvoicinghub.signing;

import io.einvoicinghub.secrets.AzureKeyVaultSecretStore;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.KeyVaultTestServer;
import io.einvoicinghub.secrets.LocalSecretStore;
import io.einvoicinghub.secrets.SecretsProperties;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * A throw-away PKI made by the test run (nothing committed): a test CA (RSA 2048) and signing certificates
 * issued by it — RSA 2048, EC P-256, one that expired yesterday, one that expires in 10 days — in the local
 * keystore {@code certificates.p12} of a fresh secrets folder, plus one as a base64 PKCS#12 secret (the way
 * Azure Key Vault returns certificates).
 */
public final class TestPki {

    public static final String CA = "test-ca";
    public static final String RSA = "sign-rsa";
    public static final String EC = "sign-ec";
    public static final String EXPIRED = "sign-expired";
    public static final String EXPIRING = "sign-expiring";
    /** A certificate held as a base64 PKCS#12 secret, not in the keystore. */
    public static final String SECRET_RSA = "sign-secret-rsa";

    public final Path secretsDir;
    public final X509Certificate caCertificate;
    public final Map<String, X509Certificate> certificates = new java.util.LinkedHashMap<>();
    private final String keystorePassword = "ks-" + UUID.randomUUID();

    public TestPki(Path secretsDir) throws Exception {
        this.secretsDir = Files.createDirectories(secretsDir);
        Instant now = Instant.now();
        KeyPair caKeys = rsa();
        caCertificate = certificate("CN=Hub Test CA,O=einvoicing-hub tests", caKeys, "CN=Hub Test CA,O=einvoicing-hub tests",
                caKeys.getPrivate(), now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(3650)), true);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry(CA, caCertificate);
        add(store, RSA, rsa(), caKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
        add(store, EC, ec(), caKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
        add(store, EXPIRED, rsa(), caKeys.getPrivate(), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        add(store, EXPIRING, ec(), caKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)).plus(Duration.ofHours(1)));
        try (OutputStream out = Files.newOutputStream(secretsDir.resolve(KeyMaterials.KEYSTORE_FILE))) {
            store.store(out, keystorePassword.toCharArray());
        }
        // the same as Key Vault returns a certificate: one PKCS#12, base64, its password in <name>.password
        KeyStore single = KeyStore.getInstance("PKCS12");
        single.load(null, null);
        KeyPair secretKeys = rsa();
        X509Certificate secretCert = certificate("CN=" + SECRET_RSA + ",O=einvoicing-hub tests", secretKeys,
                "CN=Hub Test CA,O=einvoicing-hub tests", caKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(200)), false);
        certificates.put(SECRET_RSA, secretCert);
        String secretPassword = "p12-" + UUID.randomUUID();
        single.setKeyEntry("1", secretKeys.getPrivate(), secretPassword.toCharArray(), new Certificate[]{secretCert, caCertificate});
        ByteArrayOutputStream p12 = new ByteArrayOutputStream();
        single.store(p12, secretPassword.toCharArray());
        Files.writeString(secretsDir.resolve(LocalSecretStore.FILE_NAME),
                KeyMaterials.KEYSTORE_PASSWORD + "=" + keystorePassword + "\n"
                        + SECRET_RSA + "=" + Base64.getEncoder().encodeToString(p12.toByteArray()) + "\n"
                        + SECRET_RSA + ".password=" + secretPassword + "\n", StandardCharsets.UTF_8);
    }

    private void add(KeyStore store, String alias, KeyPair keys, PrivateKey caKey, Instant from, Instant to) throws Exception {
        X509Certificate cert = certificate("CN=" + alias + ",O=einvoicing-hub tests,C=IT", keys, "CN=Hub Test CA,O=einvoicing-hub tests",
                caKey, from, to, false);
        certificates.put(alias, cert);
        store.setKeyEntry(alias, keys.getPrivate(), keystorePassword.toCharArray(), new Certificate[]{cert, caCertificate});
    }

    /**
     * Puts every certificate of this PKI into a Key Vault as Key Vault returns certificates: each keystore entry as its
     * own base64 PKCS#12 secret (content type {@code application/x-pkcs12}) under its name, the signing keys without a
     * password (as Key Vault exports them) except {@link #EC}, whose PKCS#12 is password-protected with the password in
     * {@code <name>-password}; the secrets of the local secrets file under their Key Vault names.
     */
    public void publishTo(KeyVaultTestServer vault) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(secretsDir.resolve(KeyMaterials.KEYSTORE_FILE))) {
            store.load(in, keystorePassword.toCharArray());
        }
        for (String alias : java.util.Collections.list(store.aliases())) {
            String password = EC.equals(alias) ? "p12-" + UUID.randomUUID() : "";
            KeyStore single = KeyStore.getInstance("PKCS12");
            single.load(null, null);
            if (store.isKeyEntry(alias)) {
                single.setKeyEntry(alias, store.getKey(alias, keystorePassword.toCharArray()), password.toCharArray(),
                        store.getCertificateChain(alias));
            } else {
                single.setCertificateEntry(alias, store.getCertificate(alias));
            }
            ByteArrayOutputStream p12 = new ByteArrayOutputStream();
            single.store(p12, password.toCharArray());
            vault.setSecret(alias, Base64.getEncoder().encodeToString(p12.toByteArray()), KeyVaultTestServer.PKCS12_CONTENT_TYPE);
            if (!password.isEmpty()) {
                vault.setSecret(AzureKeyVaultSecretStore.keyVaultName(alias + ".password"), password);
            }
        }
        java.util.Properties secrets = new java.util.Properties();
        try (var in = Files.newBufferedReader(secretsDir.resolve(LocalSecretStore.FILE_NAME))) {
            secrets.load(in);
        }
        for (String name : secrets.stringPropertyNames()) {
            if (!KeyMaterials.KEYSTORE_PASSWORD.equals(name)) {
                vault.setSecret(AzureKeyVaultSecretStore.keyVaultName(name), secrets.getProperty(name));
            }
        }
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    public KeyMaterials keyMaterials() {
        LocalSecretStore secrets = new LocalSecretStore(secretsDir, Map.of());
        return new KeyMaterials(secrets, new SecretsProperties("local", new SecretsProperties.Local(secretsDir.toString()),
                new SecretsProperties.Azure(null, null, null, null, null, false, 3), Duration.ofMinutes(5)));
    }

    public SigningCertificates signingCertificates(int warnDays) {
        return new SigningCertificates(keyMaterials(), new CertificateProperties(warnDays, java.util.List.of(SECRET_RSA)));
    }

    /** PEM of the CA certificate, for xmlsec1 / openssl. */
    public String caPem() throws Exception {
        return pem(caCertificate);
    }

    public static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey issuerKey, Instant from,
                                               Instant to, boolean ca) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(to), new X500Name(subject), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, ca
                ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        String algorithm = "SHA256with" + ("RSA".equals(issuerKey.getAlgorithm()) ? "RSA" : "ECDSA");
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }
}
