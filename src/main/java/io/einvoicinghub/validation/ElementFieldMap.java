package io.einvoicinghub.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmNodeKind;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps findings of formats the business-term table does not describe (FatturaPA) back to unified-JSON fields,
 * through a table kept next to the format's stylesheet: element path → JSON pointer, e.g.
 * {@code "FatturaElettronicaBody/DatiBeniServizi/DettaglioLinee[{line}]/UnitaMisura": "/document/lines/{line}/unitCode"}.
 * Paths start below the root element and use local names; a step {@code Name[{x}]} matches any occurrence and
 * binds its position (0-based) to {@code {x}} in the pointer. A finding's location (line:column of an XSD error, or
 * an XPath of name[index] steps) is resolved in the document; the nearest element a row matches gives the field.
 */
public final class ElementFieldMap {

    private record Row(List<Step> steps, String pointer) {
    }

    private record Step(String name, String placeholder) {
    }

    private static final Pattern STEP = Pattern.compile("^([A-Za-z_][\\w.-]*)(?:\\[\\{(\\w+)}])?$");

    private final List<Row> rows;
    private final Processor processor = new Processor(false);

    private ElementFieldMap(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Reads a table file: one JSON object of path → pointer. */
    public static ElementFieldMap read(Path file) {
        try {
            JsonNode table = new ObjectMapper().readTree(file.toFile());
            List<Row> rows = new ArrayList<>();
            table.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    return; // "_comment" and the like
                }
                List<Step> steps = new ArrayList<>();
                for (String step : e.getKey().split("/")) {
                    Matcher m = STEP.matcher(step);
                    if (!m.matches()) {
                        throw new IllegalArgumentException(file + ": bad path step '" + step + "' in " + e.getKey());
                    }
                    steps.add(new Step(m.group(1), m.group(2)));
                }
                rows.add(new Row(steps, e.getValue().asText()));
            });
            return new ElementFieldMap(rows);
        } catch (IOException e) {
            throw new UncheckedIOException("Field map " + file + " cannot be read", e);
        }
    }

    /** The findings with their source field filled in where the table knows the element they are located at. */
    public List<Finding> map(List<Finding> findings, byte[] xml) {
        if (findings.stream().allMatch(f -> f.sourceField() != null || f.location() == null)) {
            return findings;
        }
        XdmNode document;
        try {
            DocumentBuilder builder = processor.newDocumentBuilder();
            builder.setLineNumbering(true);
            document = builder.build(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SaxonApiException e) {
            return findings;
        }
        return findings.stream().map(f -> {
            if (f.sourceField() != null) {
                return f;
            }
            for (XdmNode n = FindingSourceMapper.locate(document, f.location()); n != null && n.getNodeKind() == XdmNodeKind.ELEMENT;
                 n = n.getParent()) {
                String pointer = pointer(n);
                if (pointer != null) {
                    return f.withSourceField(pointer);
                }
            }
            return f;
        }).toList();
    }

    /** The pointer of the first row that matches the element's path below the root, with the positions bound. */
    private String pointer(XdmNode element) {
        List<XdmNode> path = new ArrayList<>();
        for (XdmNode n = element; n != null && n.getNodeKind() == XdmNodeKind.ELEMENT; n = n.getParent()) {
            path.add(0, n);
        }
        path.remove(0); // the root element
        for (Row row : rows) {
            if (row.steps().size() != path.size()) {
                continue;
            }
            Map<String, Integer> bound = new HashMap<>();
            boolean matches = true;
            for (int i = 0; i < path.size() && matches; i++) {
                Step step = row.steps().get(i);
                XdmNode node = path.get(i);
                matches = step.name().equals(node.getNodeName().getLocalName());
                if (matches && step.placeholder() != null) {
                    bound.put(step.placeholder(), position(node));
                }
            }
            if (matches) {
                String pointer = row.pointer();
                for (Map.Entry<String, Integer> b : bound.entrySet()) {
                    pointer = pointer.replace("{" + b.getKey() + "}", String.valueOf(b.getValue()));
                }
                return pointer;
            }
        }
        return null;
    }

    /** 0-based position among the preceding siblings of the same name. */
    private static int position(XdmNode node) {
        int position = 0;
        for (XdmNode sibling : node.getParent().children()) {
            if (sibling.equals(node)) {
                return position;
            }
            if (sibling.getNodeKind() == XdmNodeKind.ELEMENT && sibling.getNodeName().equals(node.getNodeName())) {
                position++;
            }
        }
        return position;
    }
}
