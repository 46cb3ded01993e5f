package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltExecutable;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a unified submission the way a feature's transform step does (the stored document in its
 * {@code json-to-xml} form, the feature's stylesheet with BT-24 and the document type as parameters) and
 * validates it with the official rules, without starting the hub: fast enough for every sample × feature.
 */
public final class FeatureRendering {

    public static final Processor PROCESSOR = new Processor(false);
    public static final OfficialRulesValidator RULES = new OfficialRulesValidator();
    private static final UnifiedJsonToXml JSON_TO_XML = new UnifiedJsonToXml(PROCESSOR);
    private static final Map<String, XsltExecutable> STYLESHEETS = new ConcurrentHashMap<>();

    private FeatureRendering() {
    }

    public static JsonNode read(Path sample) {
        try {
            return UnifiedJson.parse(Files.readAllBytes(sample));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(sample + ": " + e.getMessage(), e);
        }
    }

    public static String documentType(JsonNode submission) {
        return submission.path("context").path("documentType").asText("Invoice");
    }

    /** The feature's output for a whole submission ({context, document}). */
    public static byte[] render(PinnedFeature feature, JsonNode submission) {
        return render(feature, documentType(submission),
                new String(UnifiedJson.write(submission.path("document")), StandardCharsets.UTF_8));
    }

    /** The feature's output for a {@code document} given as JSON text, exactly as written. */
    public static byte[] render(PinnedFeature feature, String documentType, String json) {
        try {
            Xslt30Transformer transformer = STYLESHEETS.computeIfAbsent(feature.stylesheet(), FeatureRendering::compile).load30();
            transformer.setStylesheetParameters(Map.<QName, XdmValue>of(
                    new QName(feature.specParameter()), new XdmAtomicValue(feature.specification()),
                    new QName("documentType"), new XdmAtomicValue(documentType)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.applyTemplates(JSON_TO_XML.convert(json), PROCESSOR.newSerializer(out));
            return out.toByteArray();
        } catch (SaxonApiException e) {
            throw new IllegalStateException(feature + ": " + e.getMessage(), e);
        }
    }

    public static ValidationReport validate(PinnedFeature feature, String documentType, byte[] xml) {
        try {
            return RULES.validate(feature.ruleSet(documentType), xml);
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            throw new IllegalStateException(feature + ": output is not well-formed: " + e.getMessage(), e);
        }
    }

    private static XsltExecutable compile(String stylesheet) {
        try {
            // -Dfidelity.transformations=DIR runs the suite against other stylesheets (e.g. an older revision)
            Path folder = Path.of(System.getProperty("fidelity.transformations", "transformations"));
            return PROCESSOR.newXsltCompiler().compile(new StreamSource(folder.resolve(stylesheet).toFile()));
        } catch (SaxonApiException e) {
            throw new IllegalStateException(stylesheet + ": " + e.getMessage(), e);
        }
    }
}
