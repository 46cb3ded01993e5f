package io.einvoicinghub.inbound;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;

/** Makes real CMS SignedData envelopes (.p7m, content attached) with a throw-away self-signed certificate. */
final class SignedEnvelopes {

    private SignedEnvelopes() {
    }

    static byte[] p7m(byte[] content) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=Test Vendor");
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
            X509CertificateHolder certificate = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 86_400_000L),
                    name, keys.getPublic()).build(signer);
            CMSSignedDataGenerator cms = new CMSSignedDataGenerator();
            cms.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(signer, certificate));
            cms.addCertificate(certificate);
            return cms.generate(new CMSProcessableByteArray(content), true).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
