package io.einvoicinghub.processing.action;

import io.einvoicinghub.HubProperties;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Serializer;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XsltTransformer;
import org.springframework.stereotype.Component;

import javax.xml.transform.stream.StreamSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code transform}: XSLT 3.0 (Saxon-HE) over the submission's unified JSON (in the {@code fn:json-to-xml}
 * representation) or over the current document; the result is stored and becomes the current document.
 * Stylesheet parameters: {@code documentType} always, plus every {@code param.<name>}.
 */
@Component
public class TransformAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("transform",
                    "Transform with an XSLT 3.0 stylesheet from the transformations folder; stores the result as the current document")
            .parameter(ParameterSpec.required("stylesheet", ParameterSpec.Type.STRING,
                    "path of the stylesheet, relative to the transformations folder"))
            .parameter(ParameterSpec.required("outputName", ParameterSpec.Type.STRING, "file name of the result in storage"))
            .parameter(ParameterSpec.oneOf("source", "input",
                    "what is transformed: the submitted unified JSON (input) or the current document (document)", "input", "document"))
            .parameter(ParameterSpec.optional("contentType", ParameterSpec.Type.STRING, "application/xml", "media type of the result"))
            .parameter(ParameterSpec.family("param.", "stylesheet parameters, e.g. param.customizationId"))
            .build();

    private final UnifiedJsonToXml jsonToXml;
    private final Path transformationsDir;
    private final Map<Path, Compiled> cache = new ConcurrentHashMap<>();

    private record Compiled(FileTime stamp, XsltExecutable executable) {
    }

    public TransformAction(UnifiedJsonToXml jsonToXml, HubProperties properties) {
        this.jsonToXml = jsonToXml;
        this.transformationsDir = properties.transformationsDir();
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        XdmNode source;
        if ("document".equals(p.require("source"))) {
            try (java.io.InputStream in = step.documentInput().open()) {
                source = jsonToXml.processor().newDocumentBuilder().build(new StreamSource(in));
            }
        } else {
            source = jsonToXml.convert(new String(step.input(), StandardCharsets.UTF_8));
        }
        XsltTransformer transformer = stylesheet(p.require("stylesheet")).load();
        transformer.setInitialContextNode(source);
        transformer.setParameter(new QName("documentType"), new XdmAtomicValue(step.submission().documentType()));
        p.family("param.").forEach((name, value) -> transformer.setParameter(new QName(name), new XdmAtomicValue(value)));
        // the result goes to a temporary file and from there to storage in chunks: a 100,000-line UBL invoice is
        // ~75 MB, which as a growing byte array (copied on every doubling, then once more) would not fit in 512 MB
        Path out = Files.createTempFile("hub-transform-", ".xml");
        try {
            try (java.io.OutputStream file = new java.io.BufferedOutputStream(Files.newOutputStream(out))) {
                Serializer serializer = jsonToXml.processor().newSerializer(file);
                transformer.setDestination(serializer);
                transformer.transform();
            }
            step.storeDocument(p.require("outputName"), "output", p.require("contentType"), out);
        } finally {
            Files.deleteIfExists(out);
        }
        return StepResult.done();
    }

    /** Compiled once, again when the file changes on disk. */
    private XsltExecutable stylesheet(String relative) throws SaxonApiException {
        Path file = transformationsDir.resolve(relative).normalize();
        FileTime stamp;
        try {
            stamp = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Stylesheet " + file + " cannot be read", e);
        }
        Compiled compiled = cache.get(file);
        if (compiled == null || !compiled.stamp().equals(stamp)) {
            compiled = new Compiled(stamp, jsonToXml.processor().newXsltCompiler().compile(new StreamSource(file.toFile())));
            cache.put(file, compiled);
        }
        return compiled.executable();
    }
}
