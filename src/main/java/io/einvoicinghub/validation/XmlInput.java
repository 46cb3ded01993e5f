package io.einvoicinghub.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A document that can be read more than once, each time from the start: a stored file or bytes in memory.
 * Validation reads it twice (into the tree the Schematron layers share, then by the XSD layer), so a large document
 * never has to be held in memory as bytes.
 */
@FunctionalInterface
public interface XmlInput {

    /** A fresh stream from the first byte; the caller closes it. */
    InputStream open() throws IOException;

    static XmlInput of(byte[] xml) {
        return () -> new ByteArrayInputStream(xml);
    }

    default byte[] readAll() throws IOException {
        try (InputStream in = open()) {
            return in.readAllBytes();
        }
    }
}
