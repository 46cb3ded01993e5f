package io.einvoicinghub.fidelity;

import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmValue;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayInputStream;
import java.util.List;

/** XPath over generated UBL/CII with the usual prefixes (cac, cbc, rsm, ram, udt, qdt). */
public final class Xml {

    private final XdmNode document;
    private final XPathCompiler xpath;

    public Xml(byte[] xml) {
        try {
            DocumentBuilder builder = FeatureRendering.PROCESSOR.newDocumentBuilder();
            this.document = builder.build(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SaxonApiException e) {
            throw new IllegalArgumentException(e);
        }
        this.xpath = FeatureRendering.PROCESSOR.newXPathCompiler();
        xpath.declareNamespace("cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
        xpath.declareNamespace("cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
        xpath.declareNamespace("rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100");
        xpath.declareNamespace("ram", "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100");
        xpath.declareNamespace("udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");
        xpath.declareNamespace("qdt", "urn:un:unece:uncefact:data:standard:QualifiedDataType:100");
    }

    public XdmValue eval(String expression) {
        try {
            return xpath.evaluate(expression, document);
        } catch (SaxonApiException e) {
            throw new IllegalArgumentException(expression + ": " + e.getMessage(), e);
        }
    }

    /** String values of the items an expression selects, in document order. */
    public List<String> strings(String expression) {
        return eval(expression).stream().map(XdmItem::getStringValue).toList();
    }
}
