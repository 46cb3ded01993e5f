package io.einvoicinghub.validation;

import com.helger.phive.xml.source.IValidationSourceXML;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/**
 * The document to validate, handed to phive as a stream rather than as a DOM. Saxon runs the official
 * Schematron stylesheets about ten times faster on its own tree, built from a stream, than on a wrapped DOM
 * (where every document-order comparison walks sibling lists); for a 10,000-line invoice that is the
 * difference between seconds and minutes. Each phive layer opens the document afresh (the XSD layer; the Schematron
 * layers read the shared tree instead, decision 0027), so no DOM of it is ever in memory (a DOM of a 100,000-line
 * invoice alone would not fit in 512 MB). The document has already passed {@link SecureXml} (its check or the parse
 * into the shared tree), so it holds no DOCTYPE.
 */
final class StreamingValidationSource implements IValidationSourceXML, AutoCloseable {

    private final XmlInput xml;
    /** Streams handed to the layers: a parser may leave its input open, so they are closed after the validation. */
    private final java.util.List<InputStream> opened = new java.util.ArrayList<>();
    private Document dom;

    StreamingValidationSource(XmlInput xml) {
        this.xml = xml;
    }

    /** Only for a layer that insists on a DOM (none of the rule sets the hub uses does): parsed on demand. */
    @Override
    public synchronized Node getNode() {
        if (dom == null) {
            try {
                dom = SecureXml.parse(xml.readAll());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SecureXml.UnsafeOrMalformedXmlException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return dom;
    }

    /** A fresh stream for every layer: each one reads the document itself (and closes the stream when done). */
    @Override
    public synchronized Source getAsTransformSource() {
        try {
            InputStream in = xml.open();
            opened.add(in);
            return new StreamSource(in);
        } catch (IOException e) {
            throw new UncheckedIOException("The document to validate cannot be read", e);
        }
    }

    @Override
    public synchronized void close() {
        for (InputStream in : opened) {
            try {
                in.close();
            } catch (IOException ignored) {
                // read to the end already; nothing is lost
            }
        }
        opened.clear();
    }

    @Override
    public String getValidationSourceTypeID() {
        return VALIDATION_SOURCE_TYPE;
    }

    @Override
    public String getSystemID() {
        return null;
    }

    @Override
    public boolean isPartialSource() {
        return false;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = xml.open()) {
            in.transferTo(out);
        }
    }

    @Override
    public String getContentAsString(Charset charset) {
        try {
            return new String(xml.readAll(), charset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
