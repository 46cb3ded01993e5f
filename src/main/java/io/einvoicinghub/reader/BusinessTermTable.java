package io.einvoicinghub.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The business-term table {@code schema/business-terms.json}: every BT/BG of the unified model with its JSON
 * pointer and its UBL and CII path. The paths are XPath 3.1 relative to the document's root element; a term
 * inside a repeated group starts with that group's path, so the group's occurrence gives the array index.
 * UBL paths are written for an Invoice; {@link #path} gives the CreditNote form.
 */
public final class BusinessTermTable {

    public static final String RESOURCE = "/schema/business-terms.json";

    /**
     * One row.
     *
     * @param type {@code string}, {@code number}, {@code date} for business terms; null for groups
     */
    public record Term(String id, String name, String cardinality, String jsonPointer, String ubl, String cii, String type) {

        public boolean isGroup() {
            return id.startsWith("BG-");
        }
    }

    private static final BusinessTermTable INSTANCE = load();

    private final List<Term> terms;

    private BusinessTermTable(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static BusinessTermTable get() {
        return INSTANCE;
    }

    public List<Term> terms() {
        return terms;
    }

    public Optional<Term> term(String id) {
        return terms.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The term's path in a syntax; UBL credit notes use CreditNoteLine and CreditedQuantity. */
    public static String path(Term term, InvoiceSyntax syntax) {
        if (syntax == InvoiceSyntax.CII) {
            return term.cii();
        }
        String ubl = term.ubl();
        return syntax == InvoiceSyntax.UBL_CREDIT_NOTE
                ? ubl.replace("cac:InvoiceLine", "cac:CreditNoteLine").replace("cbc:InvoicedQuantity", "cbc:CreditedQuantity")
                : ubl;
    }

    private static BusinessTermTable load() {
        try (InputStream in = BusinessTermTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            JsonNode table = new ObjectMapper().readTree(in);
            List<Term> terms = new ArrayList<>();
            table.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                terms.add(new Term(e.getKey(), v.path("name").asText(), v.path("cardinality").asText(),
                        v.path("jsonPointer").asText(), v.path("ubl").asText(), v.path("cii").asText(),
                        v.path("type").isTextual() ? v.path("type").asText() : null));
            });
            return new BusinessTermTable(terms);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
    }
}
