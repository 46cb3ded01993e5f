package io.einvoicinghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.facturx.FacturXEmbedder;
import io.einvoicinghub.facturx.MustangValidator;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.EmbedInPdfAction;
import io.einvoicinghub.processing.action.TransformAction;
import io.einvoicinghub.processing.action.TrialSteps;
import io.einvoicinghub.processing.action.ValidateAction;
import io.einvoicinghub.processing.action.ValidatePdfAction;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.FindingSourceMapper;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Factur-X PDFs per second (issue 13): the steps of feature facturx-en16931 run as the hub runs them — transform (the
 * CII stylesheet), validate (phive's EN 16931 CII rules), embed-in-pdf (the hub's rendering, Mustang's PDF/A-3) and
 * validate-pdf (Mustang's validator in its own class loader: veraPDF + the Factur-X Schematron) — beside bare CII
 * validation (phive alone on the same CII) in the same JVM and run. One thread, each figure after a warm-up; the
 * mean time of each step is printed too. Started by {@code bench/facturx.sh}.
 */
public final class FacturXBenchmark {

    static final String RULE_SET = "eu.cen.en16931:cii:1.3.16";

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("seconds", "20", "warmupSeconds", "15",
                "sample", "samples/valid/02-standard-and-reduced-rates.json", "validatorDir", "tools/mustang-validator/lib"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        double seconds = Double.parseDouble(a.get("seconds"));
        double warmup = Double.parseDouble(a.get("warmupSeconds"));
        JsonNode submission = UnifiedJson.parse(Files.readAllBytes(Path.of(a.get("sample"))));
        byte[] document = UnifiedJson.write(submission.path("document"));
        SigningBenchmark.printEnvironment();

        HubProperties properties = new HubProperties(null, null, null, null, null, null, null);
        OfficialRulesValidator rules = new OfficialRulesValidator();
        MustangValidator mustang = new MustangValidator(a.get("validatorDir"));
        Action transform = new TransformAction(new UnifiedJsonToXml(), properties);
        Action validate = new ValidateAction(rules, FindingSourceMapper.fromClasspath(), properties);
        Action embed = new EmbedInPdfAction(new FacturXEmbedder());
        Action validatePdf = new ValidatePdfAction(mustang);
        long[] nanos = new long[4];
        int[] runs = {0};
        byte[][] lastCii = new byte[1][];

        Callable<byte[]> hub = () -> {
            TrialSteps steps = new TrialSteps(document);
            long t0 = System.nanoTime();
            steps.run(transform, Map.of("stylesheet", "cii/unified-to-cii.xsl", "outputName", "factur-x.xml",
                    "param.guidelineId", "urn:cen.eu:en16931:2017", "param.omitVisualRepresentation", "true"));
            long t1 = System.nanoTime();
            lastCii[0] = steps.current();
            steps.run(validate, Map.of("ruleSet", RULE_SET));
            long t2 = System.nanoTime();
            steps.run(embed, Map.of("profile", "EN16931", "outputName", "factur-x.pdf"));
            long t3 = System.nanoTime();
            steps.run(validatePdf, Map.of());
            long t4 = System.nanoTime();
            if (steps.state().blocking > 0) {
                throw new IllegalStateException("the benchmark's Factur-X PDF has blocking findings: " + steps.trial().findings());
            }
            nanos[0] += t1 - t0;
            nanos[1] += t2 - t1;
            nanos[2] += t3 - t2;
            nanos[3] += t4 - t3;
            runs[0]++;
            return steps.current();
        };
        System.out.printf("sample %s; %s s per figure after %s s warm-up, 1 thread; validator jars %s%n",
                a.get("sample"), a.get("seconds"), a.get("warmupSeconds"), a.get("validatorDir"));
        SigningBenchmark.measure(warmup, 0, hub); // warm-up, then reset the step times
        java.util.Arrays.fill(nanos, 0);
        runs[0] = 0;
        SigningBenchmark.Rate pdfs = SigningBenchmark.measure(0, seconds, hub);
        byte[] cii = lastCii[0];
        SigningBenchmark.Rate bare = SigningBenchmark.measure(Math.min(warmup, 5), seconds, () -> {
            var report = rules.validate(RULE_SET, cii);
            if (report.findings().stream().anyMatch(f -> f.isBlocking())) {
                throw new IllegalStateException("the CII has blocking findings");
            }
            return SecureXml.parse(cii);
        });
        System.out.println();
        System.out.println("per wall-clock second (per CPU second of the measuring thread)");
        System.out.printf("%-62s %16s%n", "Factur-X PDFs (transform+validate+embed-in-pdf+validate-pdf)", pdfs);
        System.out.printf("%-62s %16s%n", "bare CII validation (phive EN 16931 CII, the same CII)", bare);
        System.out.printf("%-62s %16.3f%n", "ratio PDFs / bare validations (CPU)", pdfs.cpu() / bare.cpu());
        System.out.printf("mean step times over %d PDFs: transform %.1f ms, validate %.1f ms, embed-in-pdf %.1f ms, validate-pdf %.1f ms%n",
                runs[0], nanos[0] / 1e6 / runs[0], nanos[1] / 1e6 / runs[0], nanos[2] / 1e6 / runs[0], nanos[3] / 1e6 / runs[0]);
        mustang.close();
    }
}
