package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Works out which of our legal entities a received invoice is addressed to, from its buyer (BG-7) in the unified
 * model and the configured {@link InboundProperties#legalEntities()}: by electronic address (BT-49), VAT id (BT-48)
 * or GLN. No match, or matches naming different legal entities, is a failure with the identifiers it looked for.
 */
public class LegalEntityRouter {

    public record Route(String legalEntity, String failure) {
        public boolean routed() {
            return legalEntity != null;
        }
    }

    private final InboundProperties properties;

    public LegalEntityRouter(InboundProperties properties) {
        this.properties = properties;
    }

    public Route route(JsonNode document) {
        JsonNode buyer = document.path("buyer");
        String endpoint = schemed(buyer.path("electronicAddress"));
        String vat = normal(buyer.path("vatId").asText(null));
        Set<String> glns = new LinkedHashSet<>();
        addGln(glns, buyer.path("identifier"), true);
        addGln(glns, buyer.path("legalRegistration"), false);
        addGln(glns, buyer.path("electronicAddress"), false);

        Set<String> matches = new LinkedHashSet<>();
        for (InboundProperties.LegalEntityMapping mapping : properties.legalEntities()) {
            boolean hit = endpoint != null && mapping.endpointIds().stream().map(LegalEntityRouter::normal).anyMatch(endpoint::equals)
                    || vat != null && mapping.vatIds().stream().map(LegalEntityRouter::normal).anyMatch(vat::equals)
                    || mapping.glns().stream().map(LegalEntityRouter::normal).anyMatch(glns::contains);
            if (hit) {
                matches.add(mapping.id());
            }
        }
        String looked = "buyer electronic address " + (endpoint == null ? "-" : endpoint) + ", VAT id "
                + (vat == null ? "-" : vat) + ", GLN " + (glns.isEmpty() ? "-" : String.join("/", glns));
        if (matches.size() == 1) {
            return new Route(matches.iterator().next(), null);
        }
        if (matches.isEmpty()) {
            return new Route(null, "No legal entity is configured for this buyer (" + looked
                    + "); configure hub.inbound.legal-entities and reprocess");
        }
        return new Route(null, "The buyer (" + looked + ") matches several legal entities: " + String.join(", ", matches));
    }

    private static String schemed(JsonNode address) {
        String id = address.path("id").asText(null);
        if (id == null || id.isBlank()) {
            return null;
        }
        String scheme = address.path("schemeId").asText("");
        return normal(scheme.isBlank() ? id : scheme + ":" + id);
    }

    private static void addGln(Set<String> glns, JsonNode identifier, boolean schemeOptional) {
        String id = identifier.path("id").asText(null);
        String scheme = identifier.path("schemeId").asText("");
        if (id != null && id.strip().matches("\\d{13}") && ("0088".equals(scheme) || schemeOptional && scheme.isBlank())) {
            glns.add(id.strip());
        }
    }

    static String normal(String value) {
        return value == null || value.isBlank() ? null : value.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
    }
}
