package io.einvoicinghub.processing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.storage.StorageLayout;
import io.einvoicinghub.storage.StoredArtifact;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.FindingSourceMapper;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.ValidationReport;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The building blocks feature routes are made of: read the stored input, store a generated file, validate
 * with an official rule set. Each does one job and records it in the submission's log.
 */
@Component("featureSteps")
public class FeatureSteps {

    private final ArtifactStore store;
    private final SubmissionRepository repository;
    private final UnifiedJsonToXml jsonToXml;
    private final OfficialRulesValidator validator;
    private final FindingSourceMapper sourceMapper;

    public FeatureSteps(ArtifactStore store, SubmissionRepository repository, UnifiedJsonToXml jsonToXml,
                        OfficialRulesValidator validator, FindingSourceMapper sourceMapper) {
        this.store = store;
        this.repository = repository;
        this.jsonToXml = jsonToXml;
        this.validator = validator;
        this.sourceMapper = sourceMapper;
    }

    /** Body ← the stored unified JSON document, in the XML representation the stylesheets read. */
    public void loadDocumentAsXml(Exchange exchange) {
        TrialRun trial = exchange.getProperty(TrialRun.PROPERTY, TrialRun.class);
        if (trial != null) {
            exchange.getMessage().setBody(jsonToXml.convertToString(new String(trial.documentJson(), StandardCharsets.UTF_8)));
            return;
        }
        String prefix = exchange.getProperty(RunProperties.STORAGE_PREFIX, String.class);
        byte[] json = store.get(StorageLayout.inputKey(prefix, StorageLayout.DOCUMENT))
                .orElseThrow(() -> new IllegalStateException("Stored input " + prefix + StorageLayout.DOCUMENT + " is missing"));
        exchange.getMessage().setBody(jsonToXml.convertToString(new String(json, StandardCharsets.UTF_8)));
    }

    /** Stores the body as the run's next numbered file and links it in the log. */
    public void storeOutput(Exchange exchange, String name, String contentType) {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        record(exchange, name, "output", contentType, content);
    }

    /**
     * Validates the body (XML) with the rule set for the submission's document type. Blocking findings are
     * counted for {@link SubmissionLifecycle#complete}; the body is left unchanged for the next step.
     */
    public void validate(Exchange exchange, String invoiceRuleSet, String creditNoteRuleSet) throws Exception {
        String documentType = exchange.getMessage().getHeader(RunProperties.DOCUMENT_TYPE, "Invoice", String.class);
        String ruleSet = "CreditNote".equals(documentType) ? creditNoteRuleSet : invoiceRuleSet;
        byte[] xml = exchange.getMessage().getBody(byte[].class);
        ValidationReport report = validator.validate(ruleSet, xml);
        List<Finding> findings = sourceMapper.map(report.findings(), xml);
        TrialRun trial = exchange.getProperty(TrialRun.PROPERTY, TrialRun.class);
        if (trial != null) {
            trial.addFindings(findings);
        } else {
            repository.addFindings(exchange.getProperty(RunProperties.SUBMISSION_ID, String.class),
                    exchange.getProperty(RunProperties.RUN, Integer.class), "validate", findings);
        }
        long blocking = findings.stream().filter(Finding::isBlocking).count();
        long warnings = findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        exchange.setProperty(RunProperties.BLOCKING_FINDINGS,
                exchange.getProperty(RunProperties.BLOCKING_FINDINGS, 0, Integer.class) + (int) blocking);
        exchange.setProperty(RunProperties.WARNINGS,
                exchange.getProperty(RunProperties.WARNINGS, 0, Integer.class) + (int) warnings);
        record(exchange, "validation-" + ruleSet.replace(':', '_') + ".json", "validation-report", "application/json",
                reportJson(report, findings));
    }

    private void record(Exchange exchange, String name, String kind, String contentType, byte[] content) {
        TrialRun trial = exchange.getProperty(TrialRun.PROPERTY, TrialRun.class);
        if (trial != null) {
            trial.addFile(name, kind, contentType, content);
            return;
        }
        String id = exchange.getProperty(RunProperties.SUBMISSION_ID, String.class);
        int run = exchange.getProperty(RunProperties.RUN, Integer.class);
        int number = exchange.getProperty(RunProperties.NEXT_FILE_NUMBER, Integer.class);
        String prefix = exchange.getProperty(RunProperties.STORAGE_PREFIX, String.class);
        StoredArtifact stored = store.put(StorageLayout.runFileKey(prefix, run, number, name), content, contentType);
        repository.addArtifact(id, run, name, kind, stored);
        exchange.setProperty(RunProperties.NEXT_FILE_NUMBER, number + 1);
    }

    private static byte[] reportJson(ValidationReport report, List<Finding> findings) {
        ObjectNode root = UnifiedJson.mapper().createObjectNode();
        root.put("ruleSet", report.ruleSetId());
        root.put("ruleSetName", report.ruleSetName());
        root.put("valid", findings.stream().noneMatch(Finding::isBlocking));
        root.put("durationMillis", report.durationMillis());
        ArrayNode list = root.putArray("findings");
        findings.forEach(f -> list.add(UnifiedJson.mapper().valueToTree(f)));
        return UnifiedJson.writePretty(root);
    }
}
