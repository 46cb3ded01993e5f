package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.ValidationReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Developer tool: every sample given (default samples/valid) through every pinned feature; prints blocking findings. */
public final class SampleMatrixProbe {
    public static void main(String[] args) throws Exception {
        List<Path> samples;
        if (args.length > 0) {
            samples = Stream.of(args).map(Path::of).toList();
        } else {
            try (Stream<Path> s = Files.list(Path.of("samples/valid"))) {
                samples = s.sorted().toList();
            }
        }
        for (Path sample : samples) {
            JsonNode submission = FeatureRendering.read(sample);
            for (PinnedFeature feature : PinnedFeature.ALL) {
                byte[] xml = FeatureRendering.render(feature, submission);
                Files.createDirectories(Path.of("target/probe"));
                Files.write(Path.of("target/probe", sample.getFileName() + "." + feature.id() + ".xml"), xml);
                ValidationReport report = FeatureRendering.validate(feature, FeatureRendering.documentType(submission), xml);
                System.out.printf("%-50s %-15s %s%n", sample.getFileName(), feature.id(), report.isValid() ? "VALID" : "INVALID");
                for (Finding f : report.findings()) {
                    if (f.isBlocking()) {
                        System.out.println("    " + f.ruleId() + " @ " + f.location() + " : " + f.message());
                    }
                }
            }
        }
    }
}
