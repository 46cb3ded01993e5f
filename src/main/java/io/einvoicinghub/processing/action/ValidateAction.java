package io.einvoicinghub.processing.action;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.ksef.Fa3SchemaValidator;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.validation.ElementFieldMap;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.FindingSourceMapper;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import org.springframework.stereotype.Component;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code validate}: the current document against an official rule set (phive: XSD + Schematron), chosen by
 * document type, or against an XSD alone for formats without Schematron. Findings go into the log (mapped
 * back to unified-JSON fields), the report is stored; an error stops the run before later steps (nothing
 * invalid is sent) and the run ends Failed.
 */
@Component
public class ValidateAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("validate",
                    "Validate the current document with the official rules (phive rule set) or an XSD; errors fail the run")
            .parameter(ParameterSpec.optional("ruleSet", ParameterSpec.Type.STRING, null,
                    "phive rule set (group:artifact:version) for every document type"))
            .parameter(ParameterSpec.optional("invoiceRuleSet", ParameterSpec.Type.STRING, null, "rule set for invoices"))
            .parameter(ParameterSpec.optional("creditNoteRuleSet", ParameterSpec.Type.STRING, null, "rule set for credit notes"))
            .parameter(ParameterSpec.optional("schema", ParameterSpec.Type.STRING, null,
                    "XSD path relative to the transformations folder, for formats without Schematron"))
            .parameter(ParameterSpec.optional("fieldMap", ParameterSpec.Type.STRING, null,
                    "element path -> unified-JSON field table (relative to the transformations folder) for formats the business-term table does not describe, e.g. fatturapa/fields.json"))
            .parameter(ParameterSpec.optional("blockingRules", ParameterSpec.Type.STRING, null,
                    "regular expression over rule ids: warnings of these rules are errors (the French BR-FR rules,"
                            + " flagged warning in the published rule set, are rejection rules for an issuer)"))
            .build();

    private final OfficialRulesValidator validator;
    private final FindingSourceMapper sourceMapper;
    private final Path transformationsDir;
    private final Map<Path, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<Path, Fa3SchemaValidator> fa3Validators = new ConcurrentHashMap<>();
    private final Map<Path, ElementFieldMap> fieldMaps = new ConcurrentHashMap<>();

    public ValidateAction(OfficialRulesValidator validator, FindingSourceMapper sourceMapper, HubProperties properties) {
        this.validator = validator;
        this.sourceMapper = sourceMapper;
        this.transformationsDir = properties.transformationsDir();
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    /** Start-up check: the rule sets a step names must exist. */
    public List<String> problems(StepParameters parameters) {
        List<String> problems = new ArrayList<>();
        for (String name : List.of("ruleSet", "invoiceRuleSet", "creditNoteRuleSet")) {
            parameters.declared().entrySet().stream().filter(e -> e.getKey().equals(name))
                    .filter(e -> !validator.knows(e.getValue()))
                    .forEach(e -> problems.add("names unknown rule set '" + e.getValue() + "' in " + name));
        }
        parameters.declared().entrySet().stream().filter(e -> e.getKey().equals("blockingRules")).forEach(e -> {
            try {
                Pattern.compile(e.getValue());
            } catch (PatternSyntaxException bad) {
                problems.add("blockingRules is not a regular expression: " + bad.getDescription());
            }
        });
        if (parameters.declared().keySet().stream().noneMatch(k -> k.endsWith("uleSet") || k.equals("schema"))) {
            problems.add("validate needs ruleSet, invoiceRuleSet/creditNoteRuleSet or schema");
        }
        return problems;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        String ruleSet = p.get("CreditNote".equals(step.submission().documentType()) ? "creditNoteRuleSet" : "invoiceRuleSet")
                .or(() -> p.get("ruleSet")).orElse(null);
        List<Finding> findings = new ArrayList<>();
        // the document itself, read from storage at most once, and only when something needs it
        byte[][] read = new byte[1][];
        Supplier<byte[]> xml = () -> read[0] != null ? read[0] : (read[0] = step.document());
        ObjectNode report = UnifiedJson.mapper().createObjectNode();
        String reportName;
        if (ruleSet != null) {
            // read from storage into the tree the Schematron layers share, and once more by the XSD layer (decision 0027):
            // a large document is never held as bytes next to the validators' trees
            ValidationReport result = validator.validate(ruleSet, step.documentInput());
            // mapping findings back to fields needs the document itself; a valid document has none to map
            findings.addAll(result.findings().isEmpty() ? result.findings() : sourceMapper.map(result.findings(), xml.get()));
            report.put("ruleSet", result.ruleSetId()).put("ruleSetName", result.ruleSetName())
                    .put("durationMillis", result.durationMillis());
            reportName = "validation-" + ruleSet.replace(':', '_') + ".json";
        } else {
            String schema = p.require("schema");
            findings.addAll(validateXsd(schema, xml.get()));
            report.put("schema", schema);
            reportName = "validation-" + Path.of(schema).getFileName() + ".json";
        }
        if (p.get("fieldMap").isPresent()) {
            Path table = transformationsDir.resolve(p.require("fieldMap")).normalize();
            ElementFieldMap fieldMap = fieldMaps.computeIfAbsent(table, ElementFieldMap::read);
            if (!findings.isEmpty()) { // without findings the document need not be read again
                findings = new ArrayList<>(fieldMap.map(findings, xml.get()));
            }
        }
        Optional<Pattern> blockingRules = p.get("blockingRules").map(Pattern::compile);
        if (blockingRules.isPresent()) {
            findings.replaceAll(f -> f.severity() == Finding.Severity.WARNING && f.ruleId() != null
                    && blockingRules.get().matcher(f.ruleId()).matches() ? f.withSeverity(Finding.Severity.ERROR) : f);
        }
        step.addFindings(findings);
        step.state().blocking += (int) findings.stream().filter(Finding::isBlocking).count();
        step.state().warnings += (int) findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        report.put("valid", findings.stream().noneMatch(Finding::isBlocking));
        ArrayNode list = report.putArray("findings");
        findings.forEach(f -> list.add(UnifiedJson.mapper().valueToTree(f)));
        step.storeFile(reportName, "validation-report", "application/json", UnifiedJson.writePretty(report));
        return StepResult.done();
    }

    private List<Finding> validateXsd(String relative, byte[] xml) throws Exception {
        Path file = transformationsDir.resolve(relative).normalize();
        if (file.getFileName().toString().equals(Fa3SchemaValidator.SCHEMA_FILE)) {
            // FA(3) needs its vendored imports and relaxed counts (decision 0011); same findings shape
            Fa3SchemaValidator fa3 = fa3Validators.computeIfAbsent(file.getParent(), Fa3SchemaValidator::new);
            List<Finding> findings = new ArrayList<>();
            for (String error : fa3.validate(xml)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^line (\\d+), column (\\d+): (.*)$",
                        java.util.regex.Pattern.DOTALL).matcher(error);
                findings.add(m.matches()
                        ? new Finding(relative, "XSD", Finding.Severity.ERROR, m.group(3), m.group(1) + ":" + m.group(2), null)
                        : new Finding(relative, "XSD", Finding.Severity.ERROR, error, null, null));
            }
            return findings;
        }
        Schema schema = schemas.computeIfAbsent(file, f -> {
            try {
                SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
                return factory.newSchema(f.toFile());
            } catch (Exception e) {
                throw new IllegalStateException("XSD " + f + " cannot be compiled: " + e.getMessage(), e);
            }
        });
        List<Finding> findings = new ArrayList<>();
        Validator validator = schema.newValidator();
        validator.setErrorHandler(new ErrorHandler() {
            public void warning(SAXParseException e) {
                findings.add(finding(Finding.Severity.WARNING, e));
            }

            public void error(SAXParseException e) {
                findings.add(finding(Finding.Severity.ERROR, e));
            }

            public void fatalError(SAXParseException e) {
                findings.add(finding(Finding.Severity.FATAL, e));
            }

            private Finding finding(Finding.Severity severity, SAXParseException e) {
                return new Finding(relative, "XSD", severity, e.getMessage(), e.getLineNumber() + ":" + e.getColumnNumber(), null);
            }
        });
        validator.validate(new DOMSource(SecureXml.parse(xml)));
        return findings;
    }
}
