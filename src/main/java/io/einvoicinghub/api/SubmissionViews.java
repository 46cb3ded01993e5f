package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.submission.LogEntries;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.UnifiedJson;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;

/** Renders submissions and their log as the API's JSON. */
@Component
public class SubmissionViews {

    public static final String BASE_PATH = "/api/v1/submissions";

    private final SubmissionRepository repository;

    public SubmissionViews(SubmissionRepository repository) {
        this.repository = repository;
    }

    public ObjectNode summary(Submission s) {
        ObjectNode node = UnifiedJson.mapper().createObjectNode();
        node.put("id", s.id());
        node.put("status", s.status().name());
        node.put("verdict", s.verdict().name());
        node.put("statusMessage", s.statusMessage());
        node.put("cancelRequested", s.cancelRequested());
        node.put("legalEntity", s.legalEntity());
        node.put("country", s.country());
        node.put("documentType", s.documentType());
        node.put("erpDocumentId", s.erpDocumentId());
        ObjectNode feature = node.putObject("feature");
        feature.put("id", s.featureId());
        feature.put("version", s.featureVersion());
        node.put("run", s.runNo());
        node.put("createdAt", text(s.createdAt()));
        node.put("updatedAt", text(s.updatedAt()));
        node.put("finishedAt", text(s.finishedAt()));
        node.put("href", BASE_PATH + "/" + s.id());
        return node;
    }

    /** The full log of the current run: steps, findings, authority outputs, artifacts, status history. */
    public ObjectNode detail(Submission s) {
        ObjectNode node = summary(s);
        ArrayNode steps = node.putArray("steps");
        for (LogEntries.Step step : repository.steps(s.id(), s.runNo())) {
            ObjectNode n = steps.addObject();
            n.put("name", step.name());
            n.put("status", step.status());
            n.put("message", step.message());
            n.put("startedAt", text(step.startedAt()));
            n.put("finishedAt", text(step.finishedAt()));
            if (step.startedAt() != null && step.finishedAt() != null) {
                n.put("durationMillis", java.time.Duration.between(step.startedAt(), step.finishedAt()).toMillis());
            }
        }
        ArrayNode findings = node.putArray("findings");
        for (LogEntries.StoredFinding f : repository.findings(s.id(), s.runNo())) {
            ObjectNode n = findings.addObject();
            n.put("step", f.step());
            n.put("ruleId", f.ruleId());
            n.put("severity", f.severity());
            n.put("message", f.message());
            n.put("location", f.location());
            n.put("sourceField", f.sourceField());
            n.put("layer", f.layer());
        }
        ArrayNode outputs = node.putArray("authorityOutputs");
        for (LogEntries.AuthorityOutput o : repository.authorityOutputs(s.id(), s.runNo())) {
            outputs.addObject().put("name", o.name()).put("value", o.value()).put("receivedAt", text(o.createdAt()));
        }
        ArrayNode artifacts = node.putArray("artifacts");
        for (LogEntries.Artifact a : repository.artifacts(s.id(), s.runNo())) {
            ObjectNode n = artifacts.addObject();
            n.put("id", a.id());
            n.put("name", a.name());
            n.put("kind", a.kind());
            n.put("contentType", a.contentType());
            n.put("size", a.size());
            n.put("sha256", a.sha256());
            n.put("storageKey", a.storageKey());
            n.put("createdAt", text(a.createdAt()));
            n.put("href", BASE_PATH + "/" + s.id() + "/artifacts/" + a.id());
        }
        ArrayNode history = node.putArray("history");
        for (LogEntries.Event e : repository.events(s.id())) {
            ObjectNode n = history.addObject();
            n.put("run", e.run());
            n.put("from", e.fromStatus());
            n.put("to", e.toStatus());
            n.put("message", e.message());
            n.put("node", e.node());
            n.put("at", text(e.at()));
        }
        return node;
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}
