package io.einvoicinghub.ksef;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates an FA(3) invoice against the Ministry of Finance's official XSD vendored under
 * {@code transformations/ksef/schema/}. The official schema imports its type library by an http URL; that
 * URL is answered from the vendored copy, and any other external access is refused, so validation never
 * touches the network and an invoice cannot pull in entities or schemas of its own (secure processing,
 * no DOCTYPE). The compiled {@link Schema} is thread-safe; build one validator and share it.
 */
public final class Fa3SchemaValidator {

    /** The FA(3) target namespace. */
    public static final String NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/";
    /** File name of the official schema inside the schema folder. */
    public static final String SCHEMA_FILE = "schemat_FA(3)_v1-0E.xsd";
    /** Default schema folder, relative to the working directory (the project root). */
    public static final Path DEFAULT_SCHEMA_DIR = Path.of("transformations/ksef/schema");

    private static final String TYPES_URL = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/DefinicjeTypy/";

    /** Counted repetitions up to this many are kept as the Ministry wrote them; only the 10000s and 50000 are relaxed. */
    static final int EXPANDED_MAX_OCCURS = 1000;

    private final Schema schema;

    public Fa3SchemaValidator(Path schemaDir) {
        Path main = schemaDir.resolve(SCHEMA_FILE);
        Map<String, Path> local = Map.of(
                TYPES_URL + "StrukturyDanych_v10-0E.xsd", schemaDir.resolve("bazowe/StrukturyDanych_v10-0E.xsd"),
                TYPES_URL + "ElementarneTypyDanych_v10-0E.xsd", schemaDir.resolve("bazowe/ElementarneTypyDanych_v10-0E.xsd"),
                TYPES_URL + "KodyKrajow_v10-0E.xsd", schemaDir.resolve("bazowe/KodyKrajow_v10-0E.xsd"));
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setResourceResolver(new VendoredSchemas(local));
            // the resolver hands over every import/include itself; nothing is fetched by URL
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            this.schema = factory.newSchema(new DOMSource(relaxed(Files.readAllBytes(main)), main.toUri().toString()));
        } catch (SAXException e) {
            throw new IllegalStateException("FA(3) schema in " + schemaDir + " could not be compiled: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("FA(3) schema " + main + " could not be read", e);
        }
    }

    public Fa3SchemaValidator() {
        this(DEFAULT_SCHEMA_DIR);
    }

    /**
     * The schema as a DOM in which every {@code maxOccurs} above {@value #EXPANDED_MAX_OCCURS} reads
     * {@code unbounded}. Xerces (the JDK's validator) builds its automaton with one state per allowed
     * occurrence when a content model mixes optional groups with counted repetitions, as FA(3) does
     * (FaWiersz up to 10000, DaneFaKorygowanej up to 50000): compiling and first use then take minutes and
     * gigabytes, or break secure processing's limit of 5000. Relaxed, validation takes milliseconds and checks
     * everything else; the five relaxed counts (FaWiersz, ZamowienieWiersz, NowySrodekTransportu,
     * DodatkowyOpis up to 10000; DaneFaKorygowanej up to 50000) are far beyond KSeF's 1 MB invoice size anyway.
     */
    static Document relaxed(byte[] xsd) throws SAXException, IOException {
        Document doc;
        try {
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setNamespaceAware(true);
            dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            dbf.setXIncludeAware(false);
            dbf.setExpandEntityReferences(false);
            doc = dbf.newDocumentBuilder().parse(new ByteArrayInputStream(xsd));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        NodeList all = doc.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String max = e.getAttribute("maxOccurs");
            if (max.matches("\\d+") && Integer.parseInt(max) > EXPANDED_MAX_OCCURS) {
                e.setAttribute("maxOccurs", "unbounded");
            }
        }
        return doc;
    }

    private static byte[] serialize(Document doc) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            tf.newTransformer().transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return every schema violation (line, column, message); empty when the invoice is valid */
    public List<String> validate(byte[] xml) {
        List<String> errors = new ArrayList<>();
        Validator validator = schema.newValidator();
        try {
            validator.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.setErrorHandler(new ErrorHandler() {
                @Override public void warning(SAXParseException e) { }
                @Override public void error(SAXParseException e) { errors.add(describe(e)); }
                @Override public void fatalError(SAXParseException e) throws SAXException { throw e; }
            });
            validator.validate(new SAXSource(secureReader(), new InputSource(new ByteArrayInputStream(xml))));
        } catch (SAXParseException e) {
            errors.add(describe(e));
        } catch (SAXException e) {
            errors.add("Malformed XML: " + e.getMessage());
        } catch (IOException e) {
            errors.add("XML could not be read: " + e.getMessage());
        }
        return errors;
    }

    /** A namespace-aware parser that refuses any DOCTYPE (XXE, entity expansion). */
    private static XMLReader secureReader() throws SAXException {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            return factory.newSAXParser().getXMLReader();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("No secure XML parser available", e);
        }
    }

    private static String describe(SAXParseException e) {
        return "line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage();
    }

    /** Answers the official schema's imports from the vendored files; refuses everything else. */
    private record VendoredSchemas(Map<String, Path> local) implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespaceURI, String publicId, String systemId, String baseURI) {
            Path file = systemId == null ? null : local.get(systemId);
            if (file == null && systemId != null && baseURI != null) {
                // includes inside the type library are relative ("KodyKrajow_v10-0E.xsd")
                String name = systemId.substring(systemId.lastIndexOf('/') + 1);
                file = local.get(TYPES_URL + name);
            }
            if (file == null) {
                throw new IllegalStateException("FA(3) schema refers to " + systemId + ", which is not vendored");
            }
            try {
                return new FileInput(file.toUri().toString(), serialize(relaxed(Files.readAllBytes(file))));
            } catch (IOException | SAXException e) {
                throw new IllegalStateException("vendored FA(3) schema file " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
    }

    private record FileInput(String systemId, byte[] content) implements LSInput {
        @Override public Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(Reader characterStream) { }
        @Override public InputStream getByteStream() { return new ByteArrayInputStream(content); }
        @Override public void setByteStream(InputStream byteStream) { }
        @Override public String getStringData() { return null; }
        @Override public void setStringData(String stringData) { }
        @Override public String getSystemId() { return systemId; }
        @Override public void setSystemId(String systemId) { }
        @Override public String getPublicId() { return null; }
        @Override public void setPublicId(String publicId) { }
        @Override public String getBaseURI() { return systemId; }
        @Override public void setBaseURI(String baseURI) { }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String encoding) { }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean certifiedText) { }
    }
}
