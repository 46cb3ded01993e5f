package io.einvoicinghub.processing.action;

import io.einvoicinghub.transform.UnifiedJsonToXml;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathExecutable;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmNode;
import org.springframework.stereotype.Component;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code xml-variables}: reads values of the current XML document into run variables, one XPath 3.1 expression
 * per variable (e.g. the SDI transmitter of a FatturaPA for its file name). An expression that yields nothing
 * fails the step: a later step would otherwise work with a missing value.
 */
@Component
public class XmlVariablesAction implements Action {

    private static final ActionSpec SPEC = ActionSpec.of("xml-variables",
                    "Set run variables from XPath expressions over the current XML document")
            .parameter(ParameterSpec.family("variable.", "variable.<name>: XPath 3.1 expression whose string value the variable receives"))
            .parameter(ParameterSpec.family("namespace.", "namespace.<prefix>: namespace URI the expressions use with that prefix"))
            .build();

    private final Processor processor;
    private final Map<String, XPathExecutable> compiled = new ConcurrentHashMap<>();

    public XmlVariablesAction(UnifiedJsonToXml jsonToXml) {
        this.processor = jsonToXml.processor();
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        Map<String, String> namespaces = p.family("namespace.");
        XdmNode document;
        try {
            document = processor.newDocumentBuilder().build(new StreamSource(new ByteArrayInputStream(step.document())));
        } catch (SaxonApiException e) {
            throw new StepFailure.Permanent("the current document " + step.documentName() + " is not XML: " + e.getMessage());
        }
        for (Map.Entry<String, String> variable : p.family("variable.").entrySet()) {
            String expression = variable.getValue();
            XPathSelector selector = compiled.computeIfAbsent(namespaces + " " + expression, k -> compile(namespaces, expression)).load();
            selector.setContextItem(document);
            String value = selector.evaluate().getUnderlyingValue().getStringValue();
            if (value.isEmpty()) {
                throw new StepFailure.Permanent("variable " + variable.getKey() + ": " + expression + " finds nothing in "
                        + step.documentName());
            }
            step.setVariable(variable.getKey(), value);
        }
        return StepResult.done();
    }

    private XPathExecutable compile(Map<String, String> namespaces, String expression) {
        XPathCompiler compiler = processor.newXPathCompiler();
        namespaces.forEach(compiler::declareNamespace);
        try {
            return compiler.compile("string-join((" + expression + ") ! string(), '')");
        } catch (SaxonApiException e) {
            throw new IllegalArgumentException("xml-variables: " + expression + " is not XPath 3.1: " + e.getMessage(), e);
        }
    }
}
