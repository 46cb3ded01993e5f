package io.einvoicinghub.processing.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.processing.RunContext;
import io.einvoicinghub.processing.RunState;
import io.einvoicinghub.storage.LocalFolderArtifactStore;
import io.einvoicinghub.storage.StorageLayout;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.submission.Verdict;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.FindingSourceMapper;
import io.einvoicinghub.validation.OfficialRulesValidator;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XsltTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real (not dry) run of transform then validate on a local store: the transform result reaches storage through
 * a temporary file byte for byte as Saxon serializes it, and validation reads it back from storage.
 */
class TransformAndValidateFromStorageTest {

    private static final String XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0";

    @TempDir
    Path root;

    @Test
    void transformStoresTheSerializedResultAndValidateReadsItFromStorage() throws Exception {
        JsonNode submission = UnifiedJson.parse(Files.readAllBytes(Path.of("samples/valid/01-standard-rate-sepa-transfer.json")));
        byte[] documentJson = UnifiedJson.writePretty(submission.get("document"));
        LocalFolderArtifactStore store = new LocalFolderArtifactStore(root);
        OffsetDateTime now = OffsetDateTime.now();
        Submission row = new Submission("sub-1", "DE01", "DE", "Invoice", "ERP-1", null, null, "xrechnung-ubl", "1",
                SubmissionStatus.Executing, Verdict.NotRequested, null, "de01/sub-1/", 1, "node", null, false, now, now, null);
        store.put(StorageLayout.inputKey(row.storagePrefix(), StorageLayout.DOCUMENT), documentJson, "application/json");
        RunContext run = new RunContext(row, new RunState());
        HubProperties properties = new HubProperties(root, null, null, "node", null, null, null);
        UnifiedJsonToXml jsonToXml = new UnifiedJsonToXml(new Processor(false));

        Map<String, String> transform = Map.of("stylesheet", "ubl/unified-to-ubl.xsl", "outputName", "xrechnung-ubl.xml",
                "param.customizationId", XRECHNUNG);
        TransformAction action = new TransformAction(jsonToXml, properties);
        action.run(step(action, transform, run, store));

        RunState.Document document = run.state().document;
        assertThat(document.name()).isEqualTo("xrechnung-ubl.xml");
        assertThat(store.get(document.key()).orElseThrow()).isEqualTo(expectedUbl(documentJson));

        ValidateAction validate = new ValidateAction(new OfficialRulesValidator(), FindingSourceMapper.fromClasspath(), properties);
        validate.run(step(validate, Map.of("invoiceRuleSet", "de.xrechnung:ubl-invoice:3.0.2"), run, store));

        assertThat(run.state().blocking).isZero();
        String reportKey = store.list(row.storagePrefix()).stream().filter(k -> k.endsWith(".json") && k.contains("validation-"))
                .findFirst().orElseThrow();
        JsonNode report = UnifiedJson.parse(store.get(reportKey).orElseThrow());
        assertThat(report.get("ruleSet").asText()).isEqualTo("de.xrechnung:ubl-invoice:3.0.2");
        assertThat(report.get("valid").asBoolean()).isTrue();
    }

    private static StepContext step(Action action, Map<String, String> parameters, RunContext run, LocalFolderArtifactStore store) {
        Map<String, String> checked = StepParameters.check(action.spec(), new java.util.LinkedHashMap<>(parameters), "in a test");
        return new StepContext(action.spec().name(), run, StepParameters.of(action.spec(), checked), store, null, 1, false, () -> true);
    }

    /** The stylesheet run directly, serialized to memory: what the stored file must hold. */
    private static byte[] expectedUbl(byte[] documentJson) throws Exception {
        Processor processor = new Processor(false);
        XsltTransformer transformer = processor.newXsltCompiler()
                .compile(new StreamSource(new File("transformations/ubl/unified-to-ubl.xsl"))).load();
        transformer.setInitialContextNode(new UnifiedJsonToXml(processor).convert(new String(documentJson, java.nio.charset.StandardCharsets.UTF_8)));
        transformer.setParameter(new QName("documentType"), new XdmAtomicValue("Invoice"));
        transformer.setParameter(new QName("customizationId"), new XdmAtomicValue(XRECHNUNG));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transformer.setDestination(processor.newSerializer(out));
        transformer.transform();
        return out.toByteArray();
    }
}
