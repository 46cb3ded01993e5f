package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.feature.ApplicabilityRule;
import io.einvoicinghub.feature.FeatureDescriptor;
import io.einvoicinghub.feature.FeatureRegistry;
import io.einvoicinghub.processing.DocumentTrial;
import io.einvoicinghub.processing.TrialRun;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.LogEntries;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionFilter;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.usage.UsageStatistics;
import io.einvoicinghub.validation.Finding;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The operations the web console needs beyond the ERP's (routes in {@code routes/api/console-api.camel.yaml}):
 * counts per status, usage statistics, all files of a submission as one ZIP, a feature's applicability rules
 * and a dry run of a document. They are part of the same API, under the same authentication; what a caller may
 * see is decided where the ERP operations decide it (the list filter, the submission lookup, the intake check),
 * and {@link UsageStatistics.Query#visibleLegalEntities()} takes the caller's legal entities.
 */
@Component("consoleApi")
public class ConsoleApi {

    private static final Duration MAX_USAGE_WINDOW = Duration.ofDays(366);

    private final SubmissionRepository repository;
    private final UsageStatistics usage;
    private final ArtifactStore store;
    private final FeatureRegistry features;
    private final DocumentTrial trial;
    private final HubProperties properties;

    public ConsoleApi(SubmissionRepository repository, UsageStatistics usage, ArtifactStore store,
                      FeatureRegistry features, DocumentTrial trial, HubProperties properties) {
        this.repository = repository;
        this.usage = usage;
        this.store = store;
        this.features = features;
        this.trial = trial;
        this.properties = properties;
    }

    /** How many submissions match the list filter, per status; the {@code status} criterion itself is ignored. */
    public void countSubmissions(Exchange exchange) {
        SubmissionFilter filter = SubmissionQuery.filter(exchange, ErpApi.caller(exchange).visibleLegalEntities()).anyStatus();
        Map<SubmissionStatus, Long> counts = repository.countByStatus(filter);
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        ObjectNode byStatus = answer.putObject("byStatus");
        long total = 0;
        for (SubmissionStatus status : SubmissionStatus.values()) {
            long n = counts.getOrDefault(status, 0L);
            byStatus.put(status.name(), n);
            total += n;
        }
        answer.put("total", total);
        HttpReplies.json(exchange, 200, answer);
    }

    public void usage(Exchange exchange) {
        Map<String, String> query = QueryString.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        OffsetDateTime to = SubmissionQuery.time(query.get("to"), "to");
        OffsetDateTime from = SubmissionQuery.time(query.get("from"), "from");
        if (to == null) {
            to = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1);
        }
        if (from == null) {
            from = to.minusDays(30);
        }
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_USAGE_WINDOW) > 0) {
            throw new SubmissionRejectedException(400, "Invalid query", "from must be before to, at most 366 days apart");
        }
        UsageStatistics.Bucket bucket = SubmissionQuery.named(UsageStatistics.Bucket.class, query.get("bucket"), "bucket");
        UsageStatistics.Usage u = usage.over(new UsageStatistics.Query(from, to,
                bucket == null ? UsageStatistics.Bucket.day : bucket,
                SubmissionQuery.blankToNull(query.get("legalEntity")), SubmissionQuery.blankToNull(query.get("feature")),
                ErpApi.caller(exchange).visibleLegalEntities()));
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        answer.put("from", u.query().from().toString());
        answer.put("to", u.query().to().toString());
        answer.put("bucket", u.query().bucket().name());
        answer.put("legalEntity", u.query().legalEntity());
        answer.put("feature", u.query().featureId());
        answer.put("documents", u.documents());
        answer.put("failed", u.failed());
        answer.put("failureRate", u.failureRate());
        ObjectNode byStatus = answer.putObject("byStatus");
        for (SubmissionStatus status : SubmissionStatus.values()) {
            byStatus.put(status.name(), u.byStatus().getOrDefault(status.name(), 0L));
        }
        ObjectNode time = answer.putObject("processingMillis");
        time.put("p50", u.p50Millis());
        time.put("p95", u.p95Millis());
        ArrayNode counts = answer.putArray("counts");
        u.counts().forEach(c -> counts.addObject().put("period", c.period().toString()).put("legalEntity", c.legalEntity())
                .put("feature", c.featureId()).put("status", c.status()).put("documents", c.documents()));
        ArrayNode rules = answer.putArray("topRules");
        u.topRules().forEach(r -> rules.addObject().put("ruleId", r.ruleId()).put("findings", r.findings())
                .put("documents", r.documents()));
        HttpReplies.json(exchange, 200, answer);
    }

    /** Every file of the current run and the inputs, as one ZIP; the log's digests still apply to each entry. */
    public void downloadAllArtifacts(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        io.einvoicinghub.security.Caller caller = ErpApi.caller(exchange);
        // another legal entity's submission is answered like one that does not exist, as in the ERP operations
        Submission s = repository.findById(id == null ? "" : id).filter(found -> caller.mayAccess(found.legalEntity()))
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No submission " + id));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        Set<String> names = new HashSet<>();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (LogEntries.Artifact a : repository.artifacts(s.id(), s.runNo())) {
                String name = entryName(a, names);
                out.putNextEntry(new ZipEntry(name));
                try (InputStream content = store.open(a.storageKey()).orElseThrow(() ->
                        new IllegalStateException("Artifact " + a.storageKey() + " is recorded but missing from storage"))) {
                    content.transferTo(out);
                }
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpReplies.clearRequestHeaders(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/zip");
        exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"submission-" + s.id()
                + "-run-" + s.runNo() + ".zip\"");
        exchange.getMessage().setBody(zip.toByteArray());
    }

    /** Inputs go to input/ with an extension for their content type; run files keep their name, made unique. */
    private static String entryName(LogEntries.Artifact a, Set<String> taken) {
        String safe = a.name().replaceAll("[^A-Za-z0-9._-]", "_");
        String name = "input".equals(a.kind()) ? "input/" + safe + (safe.contains(".") ? "" : extension(a.contentType())) : safe;
        String unique = name;
        for (int i = 2; !taken.add(unique); i++) {
            unique = i + "-" + name;
        }
        return unique;
    }

    private static String extension(String contentType) {
        return contentType != null && contentType.contains("json") ? ".json" : contentType != null && contentType.contains("xml") ? ".xml" : "";
    }

    /** One feature as its feature.yaml declares it, applicability rules included. */
    public void getFeature(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        FeatureDescriptor f = features.find(id == null ? "" : id)
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No feature " + id));
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        answer.put("id", f.id());
        answer.put("version", f.version());
        answer.put("description", f.description());
        answer.put("routeInstalled", exchange.getContext().getRoute(f.routeId()) != null);
        answer.set("applicability", rule(f.applicability()));
        HttpReplies.json(exchange, 200, answer);
    }

    private static JsonNode rule(ApplicabilityRule rule) {
        ObjectNode node = UnifiedJson.mapper().createObjectNode();
        if (rule instanceof ApplicabilityRule.All all) {
            all.rules().forEach(r -> node.withArray("all").add(rule(r)));
        } else if (rule instanceof ApplicabilityRule.Any any) {
            any.rules().forEach(r -> node.withArray("any").add(rule(r)));
        } else if (rule instanceof ApplicabilityRule.Condition c) {
            node.put("field", c.field());
            node.put("operator", c.operator().name());
            ArrayNode values = node.putArray("values");
            c.values().forEach(values::add);
            node.put("caseSensitive", c.caseSensitive());
        }
        return node;
    }

    /** Dry run: the generated files and findings of a submission, without creating one. */
    public void tryDocument(Exchange exchange) {
        byte[] body = RequestBodies.readJson(exchange, properties.api().maxRequestBytes());
        JsonNode submission = RequestBodies.parseObject(body);
        ErpApi.requireOwnLegalEntity(ErpApi.caller(exchange), submission);
        DocumentTrial.Outcome outcome = trial.run(submission);
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        answer.putObject("feature").put("id", outcome.feature().id()).put("version", outcome.feature().version());
        answer.put("outcome", !outcome.completed() ? "Failed" : outcome.valid() ? "Valid" : "Invalid");
        answer.put("error", outcome.error());
        answer.put("durationMillis", outcome.durationMillis());
        ArrayNode findings = answer.putArray("findings");
        for (Finding f : outcome.findings()) {
            findings.addObject().put("ruleId", f.ruleId()).put("severity", f.severity().name()).put("message", f.message())
                    .put("location", f.location()).put("sourceField", f.sourceField()).put("layer", f.layer());
        }
        ArrayNode files = answer.putArray("files");
        for (TrialRun.File file : outcome.files()) {
            files.addObject().put("name", file.name()).put("kind", file.kind()).put("contentType", file.contentType())
                    .put("size", file.content().length).put("content", new String(file.content(), StandardCharsets.UTF_8));
        }
        HttpReplies.json(exchange, 200, answer);
    }
}
