package io.einvoicinghub.reader;

import io.einvoicinghub.reader.BusinessTermTable.Term;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XPathExecutable;
import net.sf.saxon.s9api.XPathSelector;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmNodeKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the business-term table against a UBL or CII document: where each term occurs, with the concrete
 * JSON pointer (line and other array indices filled in) and the value as written. One generic evaluation
 * serves the reader (XML → unified JSON), the term-by-term tests and the mapping of findings back to fields.
 */
public final class TermLocator {

    /**
     * One occurrence of a term.
     *
     * @param pointer JSON pointer with indices, e.g. {@code /document/lines/1/price/netAmount}
     * @param value   the string value as found (for a group: its element's string value)
     * @param node    the element or attribute that holds it
     */
    public record Occurrence(Term term, String pointer, String value, XdmNode node) {
    }

    private final Processor processor;
    private final BusinessTermTable table;
    private final Map<String, XPathExecutable> compiled = new ConcurrentHashMap<>();

    public TermLocator(Processor processor, BusinessTermTable table) {
        this.processor = processor;
        this.table = table;
    }

    public TermLocator(Processor processor) {
        this(processor, BusinessTermTable.get());
    }

    /** Every occurrence of every term and group in the document (a document node or its root element). */
    public List<Occurrence> locate(XdmNode document, InvoiceSyntax syntax) {
        XdmNode root = rootElement(document);
        List<Occurrence> out = new ArrayList<>();
        for (Term term : table.terms()) {
            String path = BusinessTermTable.path(term, syntax);
            if (path == null || path.isBlank()) {
                continue;
            }
            List<String> steps = split(term, syntax, path);
            collect(term, root, steps, 0, term.jsonPointer(), out);
        }
        return out;
    }

    /**
     * Splits a term's path at its repeated groups: [group 1 path, group 2 path relative to group 1, …, rest].
     * Each {n}/{line} of the pointer is anchored at the group (or, for arrays without a group of their own such
     * as identifiers, at the array's id term) whose pointer ends there.
     */
    private List<String> split(Term term, InvoiceSyntax syntax, String path) {
        List<String> steps = new ArrayList<>();
        String pointer = term.jsonPointer();
        String consumed = "";
        int from = 0;
        while (true) {
            int placeholder = pointer.indexOf("/{", from);
            if (placeholder < 0) {
                break;
            }
            int end = pointer.indexOf('}', placeholder) + 1;
            String arrayPointer = pointer.substring(0, end);
            String anchor = anchorPath(arrayPointer, syntax);
            if (anchor == null || !(path.equals(anchor) || path.startsWith(anchor + "/"))) {
                throw new IllegalStateException(term.id() + ": " + syntax + " path " + path
                        + " does not start with the path of its group " + arrayPointer + " (" + anchor + ")");
            }
            steps.add(consumed.isEmpty() ? anchor : anchor.substring(consumed.length() + 1));
            consumed = anchor;
            from = end;
        }
        steps.add(consumed.isEmpty() ? path : path.equals(consumed) ? "" : path.substring(consumed.length() + 1));
        return steps;
    }

    private String anchorPath(String arrayPointer, InvoiceSyntax syntax) {
        for (Term t : table.terms()) {
            if (t.jsonPointer().equals(arrayPointer)) {
                return BusinessTermTable.path(t, syntax);
            }
        }
        for (Term t : table.terms()) {
            if (t.jsonPointer().equals(arrayPointer + "/id")) {
                return BusinessTermTable.path(t, syntax);
            }
        }
        return null;
    }

    private void collect(Term term, XdmNode context, List<String> steps, int level, String pointer, List<Occurrence> out) {
        String step = steps.get(level);
        boolean last = level == steps.size() - 1;
        if (last) {
            List<XdmItem> items = step.isEmpty() ? List.of(context) : evaluate(step, context);
            List<XdmNode> holders = null;
            for (int i = 0; i < items.size(); i++) {
                XdmItem item = items.get(i);
                XdmNode node;
                if (item instanceof XdmNode n) {
                    node = n;
                } else {
                    // a computed value (e.g. a code mapped back): its holder is what the path before the computation selects
                    if (holders == null) {
                        holders = evaluate(nodePath(step), context).stream().filter(XdmNode.class::isInstance).map(XdmNode.class::cast).toList();
                    }
                    node = i < holders.size() ? holders.get(i) : context;
                }
                out.add(new Occurrence(term, pointer, item.getStringValue(), node));
                if (!term.isGroup()) {
                    break; // a single-valued term: the first occurrence is the value (e.g. BT-81 on each PaymentMeans)
                }
            }
            return;
        }
        List<XdmItem> groups = evaluate(step, context);
        int placeholder = pointer.indexOf("/{");
        int end = pointer.indexOf('}', placeholder);
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i) instanceof XdmNode group) {
                String indexed = pointer.substring(0, placeholder + 1) + i + pointer.substring(end + 1);
                collect(term, group, steps, level + 1, indexed, out);
            }
        }
    }

    /** The expression without its last step when that step computes a value: "a/b/replace(., …)" → "a/b". */
    static String nodePath(String expression) {
        int depth = 0;
        int cut = -1;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == '/' && depth == 0) {
                cut = i;
            }
        }
        return cut < 0 ? "." : expression.substring(0, cut);
    }

    private List<XdmItem> evaluate(String expression, XdmNode context) {
        try {
            XPathSelector selector = compiled.computeIfAbsent(expression, this::compile).load();
            selector.setContextItem(context);
            List<XdmItem> items = new ArrayList<>();
            selector.evaluate().forEach(items::add);
            return items;
        } catch (SaxonApiException e) {
            throw new IllegalStateException(expression + ": " + e.getMessage(), e);
        }
    }

    private XPathExecutable compile(String expression) {
        XPathCompiler compiler = processor.newXPathCompiler();
        NAMESPACES.forEach(compiler::declareNamespace);
        try {
            return compiler.compile(expression);
        } catch (SaxonApiException e) {
            throw new IllegalStateException("business-terms.json: " + expression + ": " + e.getMessage(), e);
        }
    }

    static XdmNode rootElement(XdmNode node) {
        if (node.getNodeKind() == XdmNodeKind.DOCUMENT) {
            for (XdmNode child : node.children()) {
                if (child.getNodeKind() == XdmNodeKind.ELEMENT) {
                    return child;
                }
            }
        }
        return node;
    }

    public static final Map<String, String> NAMESPACES = namespaces();

    private static Map<String, String> namespaces() {
        Map<String, String> ns = new HashMap<>();
        ns.put("cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
        ns.put("cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
        ns.put("rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100");
        ns.put("ram", "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100");
        ns.put("udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");
        ns.put("qdt", "urn:un:unece:uncefact:data:standard:QualifiedDataType:100");
        return Map.copyOf(ns);
    }
}
