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

    public void addFile(String name, String kind, String contentType, byte[] content) {
        files.add(new File(name, kind, contentType, content));
    }

    public void addFindings(List<Finding> more) {
        findings.addAll(more);
    }

    /** The last file stored under {@code name}'s storage key, for steps that read what an earlier step stored. */
    public java.util.Optional<File> file(String key) {
        synchronized (files) {
            for (int i = files.size() - 1; i >= 0; i--) {
                if (files.get(i).name().equals(key)) {
                    return java.util.Optional.of(files.get(i));
                }
            }
        }
        return java.util.Optional.empty();
    }

    public List<File> files() {
        return List.copyOf(files);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }
}
