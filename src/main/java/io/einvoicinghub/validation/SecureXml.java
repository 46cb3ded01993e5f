package io.einvoicinghub.validation;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.helpers.DefaultHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one place the hub parses XML it did not write itself. DOCTYPE declarations are refused outright,
 * which closes XXE, external DTDs and entity-expansion bombs in one rule: no e-invoice syntax needs a DTD.
 */
public final class SecureXml {

    private SecureXml() {
    }

    /** Building a factory costs a service lookup; a builder is not thread-safe, so each thread keeps one. */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("No secure XML parser available", e);
        }
    });

    /** The same rules as {@link #parse} for a streaming check: a SAX parser keeps nothing of the document. */
    private static final ThreadLocal<SAXParser> CHECKER = ThreadLocal.withInitial(() -> {
        try {
            SAXParserFactory spf = SAXParserFactory.newInstance();
            spf.setNamespaceAware(true);
            spf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            spf.setFeature("http://xml.org/sax/features/external-general-entities", false);
            spf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            spf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            spf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            spf.setXIncludeAware(false);
            return spf.newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("No secure XML parser available", e);
        }
    });

    /**
     * Checks a document as {@link #parse} does (well-formed, no DOCTYPE) without building it: for documents too
     * large to hold as a DOM next to the trees the validators build themselves. The caller closes {@code xml}.
     */
    public static void check(InputStream xml) throws UnsafeOrMalformedXmlException {
        try {
            checker().parse(new InputSource(xml), new DefaultHandler());
        } catch (SAXException e) {
            throw new UnsafeOrMalformedXmlException(describe(e), e);
        } catch (IOException e) {
            throw new UnsafeOrMalformedXmlException("XML could not be read: " + e.getMessage(), e);
        }
    }

    /** This thread's checking parser, ready for the next document. */
    private static SAXParser checker() throws SAXException {
        SAXParser parser = CHECKER.get();
        // reset() returns the parser to its state as created, without properties set on it since: set them each time
        parser.reset();
        parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return parser;
    }

    /** Fails on the first error without printing it (the exception carries the message). */
    private static final org.xml.sax.ErrorHandler QUIET = new DefaultHandler() {
        @Override
        public void error(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /**
     * Parses a document as {@link #check} does into a Saxon tree of {@code processor}'s configuration: the one parse
     * that the Schematron layers of a validation share. The caller closes {@code xml}.
     */
    public static net.sf.saxon.s9api.XdmNode parseTree(net.sf.saxon.s9api.Processor processor, InputStream xml)
            throws UnsafeOrMalformedXmlException {
        try {
            org.xml.sax.XMLReader reader = checker().getXMLReader();
            reader.setErrorHandler(QUIET); // the exception carries the message; Saxon would also print it to stderr
            try {
                return processor.newDocumentBuilder().build(new javax.xml.transform.sax.SAXSource(reader, new InputSource(xml)));
            } finally {
                // the thread keeps this parser: without this it would keep Saxon's builder, and so the last tree, too
                reader.setContentHandler(null);
                try {
                    reader.setProperty("http://xml.org/sax/properties/lexical-handler", null);
                } catch (SAXException ignored) {
                    // a parser without lexical handlers holds none
                }
            }
        } catch (SAXException e) {
            throw new UnsafeOrMalformedXmlException(describe(e), e);
        } catch (net.sf.saxon.s9api.SaxonApiException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof SAXException) && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof SAXException sax) {
                throw new UnsafeOrMalformedXmlException(describe(sax), e);
            }
            throw new UnsafeOrMalformedXmlException("Malformed XML: " + e.getMessage(), e);
        }
    }

    public static Document parse(byte[] xml) throws UnsafeOrMalformedXmlException {
        try {
            DocumentBuilder builder = BUILDER.get();
            builder.reset();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXException e) {
            throw new UnsafeOrMalformedXmlException(describe(e), e);
        } catch (IOException e) {
            throw new UnsafeOrMalformedXmlException("XML could not be read: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        dbf.setFeature("http://xml.org/sax/features/external-general-entities", false);
        dbf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        dbf.setXIncludeAware(false);
        dbf.setExpandEntityReferences(false);
        return dbf;
    }

    private static String describe(SAXException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("DOCTYPE")) {
            return "XML with a DOCTYPE declaration is refused (XXE and entity-expansion protection)";
        }
        return "Malformed XML: " + message;
    }

    public static class UnsafeOrMalformedXmlException extends Exception {
        public UnsafeOrMalformedXmlException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
