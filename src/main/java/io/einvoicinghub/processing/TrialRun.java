package io.einvoicinghub.processing;

import io.einvoicinghub.validation.Finding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A dry run of a feature route: carried on the exchange in place of a submission, it supplies the input and
 * collects the files and findings the steps would have stored, so nothing reaches storage or the database.
 */
public final class TrialRun {

    /** Exchange property holding the trial; absent on a real run. */
    public static final String PROPERTY = "hubTrialRun";

    public record File(String name, String kind, String contentType, byte[] content) {
    }

    private final byte[] documentJson;
    private final List<File> files = Collections.synchronizedList(new ArrayList<>());
    private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());

    public TrialRun(byte[] documentJson) {
        this.documentJson = documentJson.clone();
    }

    public byte[] documentJson() {
        return documentJson.clone();
    }

    void addFile(String name, String kind, String contentType, byte[] content) {
        files.add(new File(name, kind, contentType, content));
    }

    void addFindings(List<Finding> more) {
        findings.addAll(more);
    }

    public List<File> files() {
        return List.copyOf(files);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }
}
