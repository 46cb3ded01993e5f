package io.einvoicinghub.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.regex.Pattern;

/**
 * Reads a UBL 2.1 Invoice or CreditNote or a CII D16B CrossIndustryInvoice into the unified model's
 * {@code document} object, every EN 16931 term of the business-term table, line groups kept with their line.
 * Values are taken as found: no trimming, amounts and identifiers as written (numbers become exact decimals
 * with their scale); only CII dates (format 102, YYYYMMDD) are written as the model's YYYY-MM-DD.
 *
 * <pre>{@code ObjectNode document = new UnifiedDocumentReader().read(xmlBytes);}</pre>
 */
public final class UnifiedDocumentReader {

    /** The bytes are not one of the syntaxes the reader knows. */
    public static final class UnsupportedDocumentException extends Exception {
        public UnsupportedDocumentException(String message) {
            super(message);
        }
    }

    private static final Pattern DATE_102 = Pattern.compile("\\d{8}");
    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

    private final Processor processor;
    private final TermLocator locator;

    public UnifiedDocumentReader(Processor processor) {
        this.processor = processor;
        this.locator = new TermLocator(processor);
    }

    public UnifiedDocumentReader() {
        this(new Processor(false));
    }

    /** The unified {@code document} of a UBL or CII invoice; the syntax is detected from the root element. */
    public ObjectNode read(byte[] xml) throws UnsupportedDocumentException {
        InvoiceSyntax syntax = InvoiceSyntax.detect(xml).orElseThrow(() -> new UnsupportedDocumentException(
                "Not a UBL 2.1 Invoice/CreditNote nor a CII D16B CrossIndustryInvoice"));
        return read(xml, syntax);
    }

    public ObjectNode read(byte[] xml, InvoiceSyntax syntax) throws UnsupportedDocumentException {
        XdmNode document = parse(xml);
        ObjectNode root = JSON.objectNode();
        for (TermLocator.Occurrence occurrence : locator.locate(document, syntax)) {
            if (occurrence.term().isGroup() || occurrence.value().isBlank()) {
                continue;
            }
            put(root, occurrence.pointer(), value(occurrence.term().type(), occurrence.value(), syntax));
        }
        removeEmpty(root);
        JsonNode doc = root.path("document");
        return doc instanceof ObjectNode o ? o : JSON.objectNode();
    }

    private XdmNode parse(byte[] xml) throws UnsupportedDocumentException {
        try {
            DocumentBuilder builder = processor.newDocumentBuilder();
            builder.setLineNumbering(true);
            return builder.build(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SaxonApiException e) {
            throw new UnsupportedDocumentException("Not well-formed XML: " + e.getMessage());
        }
    }

    private static JsonNode value(String type, String text, InvoiceSyntax syntax) {
        if ("number".equals(type)) {
            try {
                return JSON.numberNode(new BigDecimal(text.strip()));
            } catch (NumberFormatException e) {
                return JSON.textNode(text); // left for the schema to refuse, not silently changed
            }
        }
        if ("date".equals(type) && syntax == InvoiceSyntax.CII && DATE_102.matcher(text).matches()) {
            return JSON.textNode(text.substring(0, 4) + "-" + text.substring(4, 6) + "-" + text.substring(6, 8));
        }
        return JSON.textNode(text);
    }

    /** Sets a value at a JSON pointer, creating objects and arrays on the way (array slots become objects). */
    private static void put(ObjectNode root, String pointer, JsonNode value) {
        String[] segments = pointer.substring(1).split("/");
        JsonNode current = root;
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            String segment = segments[i];
            boolean nextIsIndex = !last && segments[i + 1].chars().allMatch(Character::isDigit);
            if (current instanceof ObjectNode object) {
                if (last) {
                    if (!object.has(segment)) {
                        object.set(segment, value);
                    }
                    return;
                }
                JsonNode child = object.get(segment);
                if (child == null) {
                    child = nextIsIndex ? object.putArray(segment) : object.putObject(segment);
                }
                current = child;
            } else if (current instanceof ArrayNode array) {
                int index = Integer.parseInt(segment);
                while (array.size() <= index) {
                    array.addObject();
                }
                if (last) {
                    array.set(index, value);
                    return;
                }
                current = array.get(index);
            } else {
                return; // a value where a group was expected: keep the first reading
            }
        }
    }

    private static boolean removeEmpty(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                if (removeEmpty(it.next())) {
                    it.remove();
                }
            }
            return object.isEmpty();
        }
        if (node instanceof ArrayNode array) {
            boolean allEmpty = true;
            for (JsonNode element : array) {
                allEmpty &= removeEmpty(element);
            }
            return allEmpty;
        }
        return false;
    }
}
