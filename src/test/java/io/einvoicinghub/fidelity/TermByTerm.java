package io.einvoicinghub.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.reader.BusinessTermTable;
import io.einvoicinghub.reader.InvoiceSyntax;
import io.einvoicinghub.reader.TermLocator;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compares a unified document with an XML rendering of it term by term, reading the XML only through the
 * UBL/CII paths of {@code business-terms.json} (no second, hand-written mapping).
 */
final class TermByTerm {

    private static final TermLocator LOCATOR = new TermLocator(FeatureRendering.PROCESSOR);
    private static final Pattern DATE_102 = Pattern.compile("\\d{8}");

    /** One term that differs; {@code found} is null when the XML lacks it. */
    record Difference(String termId, String pointer, String expected, String found) {
        @Override
        public String toString() {
            return termId + " " + pointer + ": expected <" + expected + "> but " + (found == null ? "absent" : "was <" + found + ">");
        }
    }

    private TermByTerm() {
    }

    /** Every leaf value of the document as pointer → text (numbers in their lexical form). */
    static Map<String, String> leaves(JsonNode document) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(document, "/document", out);
        return out;
    }

    private static void flatten(JsonNode node, String pointer, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!(pointer.equals("/document") && e.getKey().equals("extensions"))) {
                    flatten(e.getValue(), pointer + "/" + e.getKey(), out);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), pointer + "/" + i, out);
            }
        } else if (node.isNumber()) {
            out.put(pointer, node.decimalValue().toPlainString());
        } else {
            out.put(pointer, node.asText());
        }
    }

    /** The table row whose pointer template matches a concrete pointer. */
    static Optional<BusinessTermTable.Term> termOf(String pointer) {
        return BusinessTermTable.get().terms().stream().filter(t -> !t.isGroup())
                .filter(t -> pointer.matches(Pattern.quote(t.jsonPointer()).replaceAll("\\{(n|line)}", "\\\\E[0-9]+\\\\Q")))
                .findFirst();
    }

    /** pointer → value of every term the XML carries, read through the table. */
    static Map<String, String> read(byte[] xml, InvoiceSyntax syntax) {
        XdmNode document;
        try {
            document = FeatureRendering.PROCESSOR.newDocumentBuilder().build(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SaxonApiException e) {
            throw new IllegalArgumentException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (TermLocator.Occurrence o : LOCATOR.locate(document, syntax)) {
            if (!o.term().isGroup() && !o.value().isBlank()) {
                String value = o.value();
                if (syntax == InvoiceSyntax.CII && "date".equals(o.term().type()) && DATE_102.matcher(value).matches()) {
                    value = value.substring(0, 4) + "-" + value.substring(4, 6) + "-" + value.substring(6);
                }
                out.putIfAbsent(o.pointer(), value);
            }
        }
        return out;
    }

    /**
     * Terms of {@code document} whose value in the XML differs or is missing, except those the format cannot
     * carry ({@code notCarried}: term ids).
     */
    static List<Difference> compare(JsonNode document, byte[] xml, InvoiceSyntax syntax, List<String> notCarried) {
        return compare(document, xml, syntax, notCarried, List.of());
    }

    /** As above; {@code notCarriedPointers} are regular expressions over concrete pointers. */
    static List<Difference> compare(JsonNode document, byte[] xml, InvoiceSyntax syntax, List<String> notCarried,
                                    List<Pattern> notCarriedPointers) {
        Map<String, String> found = read(xml, syntax);
        List<Difference> differences = new ArrayList<>();
        for (Map.Entry<String, String> leaf : leaves(document).entrySet()) {
            String pointer = leaf.getKey();
            Optional<BusinessTermTable.Term> term = termOf(pointer);
            String termId = term.map(BusinessTermTable.Term::id).orElse("(no term in business-terms.json)");
            if (notCarried.contains(termId) || notCarriedPointers.stream().anyMatch(p -> p.matcher(pointer).find())) {
                continue;
            }
            String value = found.get(pointer);
            if (term.isEmpty() || !leaf.getValue().equals(value)) {
                differences.add(new Difference(termId, pointer, leaf.getValue(), value));
            }
        }
        return differences;
    }

    /**
     * Terms of {@code expected} that {@code actual} (both unified documents) lacks or has with another value,
     * except pointers matching {@code notCarriedPointers}.
     */
    static List<Difference> compareDocuments(JsonNode expected, JsonNode actual, List<Pattern> notCarriedPointers) {
        Map<String, String> found = leaves(actual);
        List<Difference> differences = new ArrayList<>();
        for (Map.Entry<String, String> leaf : leaves(expected).entrySet()) {
            String pointer = leaf.getKey();
            if (notCarriedPointers.stream().anyMatch(p -> p.matcher(pointer).find())) {
                continue;
            }
            if (!leaf.getValue().equals(found.get(pointer))) {
                differences.add(new Difference(termOf(pointer).map(BusinessTermTable.Term::id).orElse("?"), pointer,
                        leaf.getValue(), found.get(pointer)));
            }
        }
        return differences;
    }

    /** Terms the XML carries that the document does not have (defaults and values the syntax requires). */
    static List<Difference> added(JsonNode document, byte[] xml, InvoiceSyntax syntax) {
        Map<String, String> leaves = leaves(document);
        List<Difference> added = new ArrayList<>();
        read(xml, syntax).forEach((pointer, value) -> {
            if (!leaves.containsKey(pointer)) {
                added.add(new Difference(termOf(pointer).map(BusinessTermTable.Term::id).orElse("?"), pointer, null, value));
            }
        });
        return added;
    }

    static InvoiceSyntax syntax(PinnedFeature feature, String documentType) {
        return !feature.isUbl() ? InvoiceSyntax.CII
                : "CreditNote".equals(documentType) ? InvoiceSyntax.UBL_CREDIT_NOTE : InvoiceSyntax.UBL_INVOICE;
    }
}
