package io.einvoicinghub.reader;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.Optional;

/** The EN 16931 syntaxes the hub reads and writes, told apart by the document's root element. */
public enum InvoiceSyntax {

    UBL_INVOICE("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice", "Invoice"),
    UBL_CREDIT_NOTE("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote", "CreditNote"),
    CII("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100", "CrossIndustryInvoice", null);

    private final String namespace;
    private final String rootName;
    private final String documentType;

    InvoiceSyntax(String namespace, String rootName, String documentType) {
        this.namespace = namespace;
        this.rootName = rootName;
        this.documentType = documentType;
    }

    public boolean isUbl() {
        return this != CII;
    }

    /** {@code Invoice} or {@code CreditNote} for UBL; CII tells them apart by BT-3 only (null here). */
    public String documentType() {
        return documentType;
    }

    /**
     * The syntax of a document from its root element, read with a streaming parser that refuses DTDs and
     * external entities; empty when the root is none of them or the bytes are not XML.
     */
    public static Optional<InvoiceSyntax> detect(byte[] xml) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                    for (InvoiceSyntax syntax : values()) {
                        if (syntax.namespace.equals(reader.getNamespaceURI()) && syntax.rootName.equals(reader.getLocalName())) {
                            return Optional.of(syntax);
                        }
                    }
                    return Optional.empty();
                }
            }
            return Optional.empty();
        } catch (XMLStreamException e) {
            return Optional.empty();
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release
                }
            }
        }
    }
}
