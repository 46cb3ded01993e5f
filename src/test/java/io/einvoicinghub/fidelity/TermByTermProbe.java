package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Developer tool: term-by-term differences of every valid sample in every pinned feature, nothing excluded. */
public final class TermByTermProbe {
    public static void main(String[] args) throws Exception {
        List<Path> samples;
        try (Stream<Path> s = Files.list(Path.of("samples/valid"))) {
            samples = s.sorted().toList();
        }
        for (Path sample : samples) {
            JsonNode submission = FeatureRendering.read(sample);
            for (PinnedFeature feature : PinnedFeature.ALL) {
                String type = FeatureRendering.documentType(submission);
                byte[] xml = FeatureRendering.render(feature, submission);
                for (TermByTerm.Difference d : TermByTerm.compare(submission.path("document"), xml, TermByTerm.syntax(feature, type), List.of())) {
                    System.out.printf("%-45s %-15s %s%n", sample.getFileName(), feature.id(), d);
                }
                for (TermByTerm.Difference d : TermByTerm.added(submission.path("document"), xml, TermByTerm.syntax(feature, type))) {
                    System.out.printf("%-45s %-15s ADDED %s %s = %s%n", sample.getFileName(), feature.id(), d.termId(), d.pointer(), d.found());
                }
            }
        }
    }
}
