package io.einvoicinghub.transform;

import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathExecutable;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.QName;

/**
 * Renders unified JSON in the W3C XPath 3.1 XML representation of JSON ({@code fn:json-to-xml}), which is
 * what every feature stylesheet in {@code transformations/} reads. Numbers keep their lexical form, so
 * amounts reach the XML exactly as the ERP wrote them.
 */
public class UnifiedJsonToXml {

    private final Processor processor;
    private final XPathExecutable jsonToXml;

    public UnifiedJsonToXml(Processor processor) {
        this.processor = processor;
        try {
            XPathCompiler compiler = processor.newXPathCompiler();
            compiler.declareVariable(new QName("json"));
            this.jsonToXml = compiler.compile("json-to-xml($json, map{'liberal': false(), 'duplicates': 'reject'})");
        } catch (SaxonApiException e) {
            throw new IllegalStateException(e);
        }
    }

    public UnifiedJsonToXml() {
        this(new Processor(false));
    }

    public Processor processor() {
        return processor;
    }

    /** @return the document node of the XML representation of {@code json} */
    public XdmNode convert(String json) {
        try {
            XPathSelector selector = jsonToXml.load();
            selector.setVariable(new QName("json"), new XdmAtomicValue(json));
            return (XdmNode) selector.evaluateSingle();
        } catch (SaxonApiException e) {
            throw new IllegalArgumentException("JSON could not be converted to XML: " + e.getMessage(), e);
        }
    }

    public String convertToString(String json) {
        return convert(json).toString();
    }
}
