package io.einvoicinghub.bench;

import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESService;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.JWSSerializationType;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.jades.JAdESSignatureParameters;
import eu.europa.esig.dss.jades.signature.JAdESService;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.signature.AbstractSignatureParameters;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.signature.XAdESService;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.TrialSteps;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.signing.SignCadesAction;
import io.einvoicinghub.signing.SignJsonAction;
import io.einvoicinghub.signing.SignXmlAction;
import io.einvoicinghub.signing.SigningCertificates;
import io.einvoicinghub.signing.TestPki;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Signatures per second (issue 9) for XAdES-B-B enveloped, CAdES-B-B enveloping (.p7m) and JAdES-B-B compact, with an
 * RSA-2048 and a P-256 key, measured two ways in the same JVM and run: through the hub's actions (sign-xml, sign-cades,
 * sign-json run as a step: the key opened from the local keystore, certificate checks, the signed file stored in the
 * dry-run store) and as bare DSS calls (the same parameters, the key already open). One thread; each figure after a
 * warm-up. Started by {@code bench/signing.sh}.
 */
public final class SigningBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("seconds", "5", "warmupSeconds", "3",
                "xml", "src/test/resources/public-samples/cen-en16931/ubl/ubl-tc434-example1.xml",
                "json", "samples/valid/02-standard-and-reduced-rates.json"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        double seconds = Double.parseDouble(a.get("seconds"));
        double warmup = Double.parseDouble(a.get("warmupSeconds"));
        byte[] xml = Files.readAllBytes(Path.of(a.get("xml")));
        byte[] json = Files.readAllBytes(Path.of(a.get("json")));
        printEnvironment();
        System.out.printf("documents: XML %d bytes (%s), JSON %d bytes (%s); %s s per figure after %s s warm-up, 1 thread%n",
                xml.length, a.get("xml"), json.length, a.get("json"), a.get("seconds"), a.get("warmupSeconds"));

        Path dir = Files.createTempDirectory("signing-bench");
        TestPki pki = new TestPki(dir.resolve("secrets"));
        SigningCertificates certificates = new SigningCertificates(pki.keyMaterials(),
                new io.einvoicinghub.signing.CertificateProperties(30, List.of()));
        Action signXml = new SignXmlAction(certificates);
        Action signCades = new SignCadesAction(certificates);
        Action signJson = new SignJsonAction(certificates);

        List<String[]> rows = new ArrayList<>();
        for (String key : List.of(TestPki.RSA, TestPki.EC)) {
            String keyName = key.equals(TestPki.RSA) ? "RSA-2048" : "P-256";
            try (KeyMaterials.SigningToken token = pki.keyMaterials().signingToken(key)) {
                rows.add(row("XAdES-B-B enveloped", keyName,
                        measure(warmup, seconds, () -> step(signXml, xml, "invoice.xml", "application/xml", key)),
                        measure(warmup, seconds, () -> bareXades(xml, token))));
                rows.add(row("CAdES-B-B enveloping", keyName,
                        measure(warmup, seconds, () -> step(signCades, xml, "invoice.xml", "application/xml", key)),
                        measure(warmup, seconds, () -> bareCades(xml, token))));
                rows.add(row("JAdES-B-B compact", keyName,
                        measure(warmup, seconds, () -> step(signJson, json, "document.json", "application/json", key)),
                        measure(warmup, seconds, () -> bareJades(json, token))));
            }
        }
        System.out.println();
        System.out.println("signatures per wall-clock second (per CPU second of the signing thread); ratio = hub / bare, CPU");
        System.out.printf("%-22s %-9s %18s %18s %7s%n", "kind", "key", "hub action", "bare DSS", "ratio");
        for (String[] r : rows) {
            System.out.printf("%-22s %-9s %18s %18s %7s%n", (Object[]) r);
        }
    }

    static void printEnvironment() {
        var runtime = ManagementFactory.getRuntimeMXBean();
        System.out.printf("cores: %d (available to the JVM), load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("JVM: %s %s (%s), max heap %d MiB%n", runtime.getVmName(), runtime.getVmVersion(),
                System.getProperty("java.vendor"), Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.println("JVM flags: " + String.join(" ", runtime.getInputArguments()));
    }

    static String[] row(String kind, String key, Rate hub, Rate bare) {
        return new String[]{kind, key, hub.toString(), bare.toString(), String.format("%.2f", hub.cpu() / bare.cpu())};
    }

    /** Operations per wall-clock second and per CPU second of the measuring thread. */
    record Rate(double wall, double cpu) {
        @Override
        public String toString() {
            return String.format("%.1f (%.1f)", wall, cpu);
        }
    }

    /**
     * The rate of {@code operation} over {@code seconds}, after {@code warmup} seconds of the same. On a shared machine
     * the thread's CPU time is the steadier figure: wall time also counts the time other processes held the cores.
     */
    static Rate measure(double warmup, double seconds, Callable<?> operation) throws Exception {
        run(warmup, operation);
        return run(seconds, operation);
    }

    private static Rate run(double seconds, Callable<?> operation) throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        int count = 0;
        Object sink = null;
        do {
            sink = operation.call();
            count++;
        } while (System.nanoTime() < end);
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        long cpu = Math.max(1, threads.getCurrentThreadCpuTime() - cpuStart);
        return new Rate(count / ((System.nanoTime() - start) / 1e9), count / (cpu / 1e9));
    }

    private static byte[] step(Action action, byte[] content, String name, String type, String key) throws Exception {
        TrialSteps steps = new TrialSteps().document(name, type, content);
        steps.run(action, Map.of("certificate", key, "outputName", "signed"));
        return steps.current();
    }

    private static byte[] bareXades(byte[] xml, KeyMaterials.SigningToken token) {
        XAdESSignatureParameters p = new XAdESSignatureParameters();
        p.setSignatureLevel(SignatureLevel.XAdES_BASELINE_B);
        p.setSignaturePackaging(SignaturePackaging.ENVELOPED);
        return sign(new XAdESService(new CommonCertificateVerifier()), new InMemoryDocument(xml, "invoice.xml"), p, token);
    }

    private static byte[] bareCades(byte[] content, KeyMaterials.SigningToken token) {
        CAdESSignatureParameters p = new CAdESSignatureParameters();
        p.setSignatureLevel(SignatureLevel.CAdES_BASELINE_B);
        p.setSignaturePackaging(SignaturePackaging.ENVELOPING);
        return sign(new CAdESService(new CommonCertificateVerifier()), new InMemoryDocument(content, "invoice.xml"), p, token);
    }

    private static byte[] bareJades(byte[] json, KeyMaterials.SigningToken token) {
        JAdESSignatureParameters p = new JAdESSignatureParameters();
        p.setSignatureLevel(SignatureLevel.JAdES_BASELINE_B);
        p.setSignaturePackaging(SignaturePackaging.ENVELOPING);
        p.setJwsSerializationType(JWSSerializationType.COMPACT_SERIALIZATION);
        return sign(new JAdESService(new CommonCertificateVerifier()), new InMemoryDocument(json, "document.json"), p, token);
    }

    /** DSS's three calls: data to sign, signature value, signed document. */
    private static <P extends AbstractSignatureParameters<?>> byte[] sign(DocumentSignatureService<P, ?> service, DSSDocument document,
                                                                          P p, KeyMaterials.SigningToken token) {
        p.setDigestAlgorithm(DigestAlgorithm.SHA256);
        p.setEncryptionAlgorithm(token.key().getEncryptionAlgorithm());
        p.setSigningCertificate(token.key().getCertificate());
        p.setCertificateChain(token.key().getCertificateChain());
        p.bLevel().setSigningDate(new Date());
        ToBeSigned data = service.getDataToSign(document, p);
        SignatureValue value = token.token().sign(data, p.getDigestAlgorithm(), token.key());
        try (var in = service.signDocument(document, p, value).openStream()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
