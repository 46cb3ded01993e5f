package io.einvoicinghub.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.einvoicinghub.reader.InvoiceSyntax;
import io.einvoicinghub.reader.TermLocator;
import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmNodeKind;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a finding back to the unified-JSON field it came from, through the business-term table
 * ({@code business-terms.json}):
 * <ol>
 *   <li>by its location: the XPath of a Schematron finding or the line:column of an XSD finding is resolved in
 *       the generated XML, and the nearest element that the table's UBL/CII paths select gives the JSON pointer,
 *       with the line and every other array index;</li>
 *   <li>by the business term its text names ("[BR-CO-10]-Sum of Invoice line net amount (BT-106) = …"), whose
 *       indices are filled in from the location.</li>
 * </ol>
 * The more specific of the two wins when they agree; the term named in the text when they do not.
 */
public class FindingSourceMapper {

    public static final String TABLE_RESOURCE = "/schema/business-terms.json";

    private static final Pattern TERM = Pattern.compile("\\b(B[TG])-(\\d+)\\b");
    private static final Pattern LINE = Pattern.compile(
            "(?:InvoiceLine|CreditNoteLine|IncludedSupplyChainTradeLineItem)\\[(\\d+)]");
    private static final Pattern LINE_COLUMN = Pattern.compile("^\\(?(\\d+):(\\d+)\\)?$");
    private static final Pattern STEP = Pattern.compile("^(@)?(?:[^:\\[]*:)?([^\\[]+)(.*)$");
    private static final Pattern LAST_INDEX = Pattern.compile(".*\\[(\\d+)]\\s*$");
    private static final Pattern ELEMENT_NAME = Pattern.compile("\\b[A-Z][a-z]+[A-Z][A-Za-z]*\\b");

    private final Map<String, String> pointerByTerm;
    private final Processor processor = new Processor(false);
    private final TermLocator locator = new TermLocator(processor);

    public FindingSourceMapper(Map<String, String> pointerByTerm) {
        this.pointerByTerm = Map.copyOf(pointerByTerm);
    }

    /** Reads the table shipped with the schema; an absent table maps nothing. */
    public static FindingSourceMapper fromClasspath() {
        Map<String, String> pointers = new HashMap<>();
        try (InputStream in = FindingSourceMapper.class.getResourceAsStream(TABLE_RESOURCE)) {
            if (in != null) {
                JsonNode table = new ObjectMapper().readTree(in);
                table.fields().forEachRemaining(e -> {
                    JsonNode pointer = e.getValue().path("jsonPointer");
                    if (pointer.isTextual()) {
                        pointers.put(e.getKey(), pointer.asText());
                    }
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + TABLE_RESOURCE, e);
        }
        return new FindingSourceMapper(pointers);
    }

    /** Maps by the business term the text names only (no document at hand). */
    public Finding map(Finding finding) {
        String byText = pointerFromText(finding.message());
        return byText == null ? finding : finding.withSourceField(truncate(resolveLine(byText, finding.location())));
    }

    /** Maps the findings of one validation of {@code xml} by their location and by the terms their texts name. */
    public List<Finding> map(List<Finding> findings, byte[] xml) {
        if (findings.isEmpty()) {
            return findings;
        }
        Optional<InvoiceSyntax> syntax = InvoiceSyntax.detect(xml);
        XdmNode document = syntax.isPresent() ? parse(xml) : null;
        if (document == null) {
            return findings.stream().map(this::map).toList();
        }
        Map<XdmNode, String> pointerByNode = new HashMap<>();
        for (TermLocator.Occurrence o : locator.locate(document, syntax.get())) {
            // the most specific pointer wins for a node that several rows select (a group and its id term)
            pointerByNode.merge(o.node(), o.pointer(), (a, b) -> b.length() > a.length() ? b : a);
        }
        return findings.stream().map(f -> map(f, document, pointerByNode)).toList();
    }

    private Finding map(Finding finding, XdmNode document, Map<XdmNode, String> pointerByNode) {
        String byLocation = null;
        XdmNode node = locate(document, finding.location());
        for (XdmNode n = node; n != null && byLocation == null; n = n.getParent()) {
            byLocation = pointerByNode.get(n);
        }
        String byText = pointerFromText(finding.message());
        if (byText == null && node != null) {
            // a rule without a BT in its text ("Only one TaxPointDate shall be present") names the element:
            // the first term inside such an element below the location is the field
            String byName = pointerFromNamedElement(node, finding.message(), pointerByNode);
            if (byName != null) {
                return finding.withSourceField(byName);
            }
        }
        if (byText != null && byLocation != null) {
            String filled = fill(byText, byLocation);
            if (!filled.contains("{")) {
                return finding.withSourceField(byLocation.startsWith(filled + "/") ? byLocation : filled);
            }
            return finding.withSourceField(truncate(filled));
        }
        if (byLocation != null) {
            return finding.withSourceField(byLocation);
        }
        return byText == null ? finding : finding.withSourceField(truncate(resolveLine(byText, finding.location())));
    }

    private static String pointerFromNamedElement(XdmNode node, String message, Map<XdmNode, String> pointerByNode) {
        if (message == null) {
            return null;
        }
        Matcher name = ELEMENT_NAME.matcher(message);
        while (name.find()) {
            for (XdmNode element : node.select(net.sf.saxon.s9api.streams.Steps.descendantOrSelf()).toList()) {
                if (element.getNodeKind() == XdmNodeKind.ELEMENT && name.group().equals(element.getNodeName().getLocalName())) {
                    for (XdmNode inner : element.select(net.sf.saxon.s9api.streams.Steps.descendantOrSelf()).toList()) {
                        String pointer = pointerByNode.get(inner);
                        if (pointer != null) {
                            return pointer;
                        }
                    }
                }
            }
        }
        return null;
    }

    private String pointerFromText(String message) {
        if (message == null) {
            return null;
        }
        Matcher term = TERM.matcher(message);
        while (term.find()) {
            String pointer = pointerByTerm.get(term.group(1) + "-" + term.group(2));
            if (pointer != null) {
                return pointer;
            }
        }
        return null;
    }

    /** Fills the array placeholders of a pointer template from a concrete pointer into the same arrays. */
    private static String fill(String template, String concrete) {
        String result = template;
        int placeholder;
        while ((placeholder = result.indexOf("/{")) >= 0) {
            String prefix = result.substring(0, placeholder + 1);
            if (!concrete.startsWith(prefix)) {
                break;
            }
            Matcher index = Pattern.compile("^(\\d+)").matcher(concrete.substring(prefix.length()));
            if (!index.find()) {
                break;
            }
            result = prefix + index.group(1) + result.substring(result.indexOf('}', placeholder) + 1);
        }
        return result;
    }

    private static String resolveLine(String pointer, String location) {
        if (pointer.contains("{line}") && location != null) {
            Matcher line = LINE.matcher(location);
            if (line.find()) {
                pointer = pointer.replace("{line}", String.valueOf(Integer.parseInt(line.group(1)) - 1));
            }
        }
        return pointer;
    }

    /** An index nothing tells stays unresolved: point at the whole array instead. */
    private static String truncate(String pointer) {
        int placeholder = pointer.indexOf("/{");
        return placeholder < 0 ? pointer : pointer.substring(0, placeholder);
    }

    private XdmNode parse(byte[] xml) {
        try {
            DocumentBuilder builder = processor.newDocumentBuilder();
            builder.setLineNumbering(true);
            return builder.build(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SaxonApiException e) {
            return null;
        }
    }

    /** The node a finding's location names: an XPath of name[index] steps, or (line:column) for the XSD layer. */
    static XdmNode locate(XdmNode document, String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        Matcher lineColumn = LINE_COLUMN.matcher(location.trim());
        if (lineColumn.matches()) {
            return elementAt(document, Integer.parseInt(lineColumn.group(1)), Integer.parseInt(lineColumn.group(2)));
        }
        XdmNode current = document;
        for (String step : location.split("/")) {
            if (step.isEmpty()) {
                continue;
            }
            Matcher m = STEP.matcher(step);
            if (!m.matches()) {
                return current == document ? null : current;
            }
            boolean attribute = m.group(1) != null;
            String name = m.group(2);
            Matcher index = LAST_INDEX.matcher(m.group(3));
            int wanted = index.matches() ? Integer.parseInt(index.group(1)) : 1;
            XdmNode next = null;
            int seen = 0;
            Iterable<XdmNode> candidates = attribute ? current.select(net.sf.saxon.s9api.streams.Steps.attribute()).toList()
                    : current.children();
            for (XdmNode child : candidates) {
                if ((attribute || child.getNodeKind() == XdmNodeKind.ELEMENT) && name.equals(child.getNodeName().getLocalName())
                        && ++seen == wanted) {
                    next = child;
                    break;
                }
            }
            if (next == null) {
                return current == document ? null : current;
            }
            current = next;
        }
        return current == document ? null : current;
    }

    /** The last element whose start tag ends at or before line:column (where the XSD parser reports). */
    private static XdmNode elementAt(XdmNode document, int line, int column) {
        XdmNode best = null;
        for (XdmNode element : document.select(net.sf.saxon.s9api.streams.Steps.descendant()).toList()) {
            if (element.getNodeKind() != XdmNodeKind.ELEMENT) {
                continue;
            }
            int l = element.getLineNumber();
            int c = element.getColumnNumber();
            if (l < line || (l == line && c <= column)) {
                best = element;
            } else {
                break;
            }
        }
        return best;
    }
}
