package io.einvoicinghub.sdi.simulator;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throw-away PKI for the simulator and its tests, made at run time (no key is committed): one CA and, issued by it,
 * SDI's TLS server certificate (localhost, 127.0.0.1), SDI's TLS client certificate (for calling the transmitter),
 * SDI's message-signing certificate, and the transmitter's three: TLS client (to call SdIRiceviFile), TLS server (its
 * TrasmissioneFatture endpoint) and invoice signing. {@link #writeHubKeystore} writes the transmitter's side as the
 * hub's local keystore ({@code certificates.p12}), so the hub reads it through its secret store.
 */
public final class SimulatorPki {

    public static final String CA = "sdi-test-ca";
    public static final String SDI_SERVER = "sdi-server";
    public static final String SDI_CLIENT = "sdi-client";
    public static final String SDI_MESSAGES = "sdi-messages";
    public static final String HUB_CLIENT = "sdi-transmitter";
    public static final String HUB_ENDPOINT = "sdi-endpoint";
    public static final String HUB_SIGNING = "it-signing";

    public record Identity(KeyPair keys, X509Certificate certificate) {
    }

    public final X509Certificate caCertificate;
    private final KeyPair caKeys;
    private final String caName;
    public final Map<String, Identity> identities = new LinkedHashMap<>();

    public SimulatorPki(String caName) throws Exception {
        this.caName = "CN=" + caName + ",O=einvoicing-hub SDI simulator,C=IT";
        this.caKeys = rsa();
        Instant now = Instant.now();
        this.caCertificate = build(this.caName, caKeys, caKeys, now, Kind.CA);
        issue(SDI_SERVER, Kind.SERVER);
        issue(SDI_CLIENT, Kind.CLIENT);
        issue(SDI_MESSAGES, Kind.SIGNING);
        issue(HUB_CLIENT, Kind.CLIENT);
        issue(HUB_ENDPOINT, Kind.SERVER);
        issue(HUB_SIGNING, Kind.SIGNING);
    }

    public SimulatorPki() throws Exception {
        this("SDI Simulator Test CA");
    }

    public enum Kind { CA, SERVER, CLIENT, SIGNING }

    public Identity issue(String name, Kind kind) throws Exception {
        KeyPair keys = rsa();
        Identity identity = new Identity(keys, build("CN=" + name + ",O=einvoicing-hub SDI simulator,C=IT", keys, caKeys, Instant.now(), kind));
        identities.put(name, identity);
        return identity;
    }

    public Identity identity(String name) {
        return identities.get(name);
    }

    public List<X509Certificate> chain(String name) {
        return List.of(identities.get(name).certificate(), caCertificate);
    }

    /** A TLS context with identity {@code name}, trusting this PKI's CA only. */
    public SSLContext tls(String name) throws Exception {
        char[] password = "tls".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(name, identities.get(name).keys().getPrivate(), password, chain(name).toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCertificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** The simulator's settings from this PKI: SDI's identities, notifying {@code transmitterEndpoint}. */
    public SdiSimulator.Settings simulatorSettings(java.net.URI transmitterEndpoint) throws Exception {
        return new SdiSimulator.Settings(tls(SDI_SERVER), tls(SDI_CLIENT), transmitterEndpoint, List.of(caCertificate),
                identities.get(SDI_MESSAGES).keys().getPrivate(), chain(SDI_MESSAGES));
    }

    /**
     * Writes the transmitter's certificates ({@link #HUB_CLIENT}, {@link #HUB_ENDPOINT}, {@link #HUB_SIGNING}) and the CA
     * (certificate entry {@link #CA}) as the hub's local keystore {@code <dir>/certificates.p12} with {@code password}.
     */
    public void writeHubKeystore(Path dir, String password) throws Exception {
        writeHubKeystore(dir, password, Map.of());
    }

    /** The same, with each identity of {@code aliases}' values stored once more under its key (e.g. it-signing-IT01). */
    public void writeHubKeystore(Path dir, String password, Map<String, String> aliases) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry(CA, caCertificate);
        for (String name : List.of(HUB_CLIENT, HUB_ENDPOINT, HUB_SIGNING)) {
            store.setKeyEntry(name, identities.get(name).keys().getPrivate(), password.toCharArray(), chain(name).toArray(new Certificate[0]));
        }
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            store.setKeyEntry(alias.getKey(), identities.get(alias.getValue()).keys().getPrivate(), password.toCharArray(),
                    chain(alias.getValue()).toArray(new Certificate[0]));
        }
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("certificates.p12"))) {
            store.store(out, password.toCharArray());
        }
    }

    private X509Certificate build(String subject, KeyPair keys, KeyPair issuer, Instant now, Kind kind) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(caName),
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(kind == Kind.CA ? 3650 : 365))), new X500Name(subject), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(kind == Kind.CA));
        switch (kind) {
            case CA -> builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            case SERVER -> {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            case CLIENT -> {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            case SIGNING -> builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
