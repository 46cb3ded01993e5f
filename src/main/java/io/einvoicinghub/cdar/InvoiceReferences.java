package io.einvoicinghub.cdar;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.UnifiedJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the outbound submission of an invoice by its number and one of its seller's ids, as a received CDAR
 * message names it (MDT-87, MDT-129). Each submission is listed once from its stored document, on the first
 * look-up after it arrived (and in the background at start-up), so intake stays as it is and submissions made
 * before this table existed are found too.
 */
public class InvoiceReferences {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceReferences.class);
    private static final int BATCH = 200;

    private final JdbcTemplate jdbc;
    private final ArtifactStore store;

    public InvoiceReferences(JdbcTemplate jdbc, ArtifactStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void listInBackground() {
        Thread t = new Thread(() -> {
            try {
                int listed = catchUp();
                if (listed > 0) {
                    LOG.info("Listed the invoice number and seller ids of {} submissions for CDAR look-ups", listed);
                }
            } catch (RuntimeException e) {
                LOG.warn("Listing submissions for CDAR look-ups failed (retried on the next look-up): {}", e.getMessage());
            }
        }, "invoice-reference-listing");
        t.setDaemon(true);
        t.start();
    }

    /** The submissions whose invoice has this number and a seller with this id (a SIREN also matches its SIRETs). */
    public List<String> submissionsOf(String invoiceNumber, String sellerId) {
        catchUp();
        String wanted = normal(sellerId);
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT submission_id, seller_keys FROM submission_invoice WHERE invoice_number = ?", invoiceNumber);
        List<String> found = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            for (String key : ((String) row.get("seller_keys")).split("\\|")) {
                if (!key.isEmpty() && (key.equals(wanted) || (key.length() == 14 && key.startsWith(wanted) && wanted.length() == 9))) {
                    found.add((String) row.get("submission_id"));
                    break;
                }
            }
        }
        return found;
    }

    /** Lists every submission not yet listed; a document that cannot be read now is tried again next time. */
    public int catchUp() {
        int listed = 0;
        Set<String> unreadable = new HashSet<>();
        while (true) {
            List<Map<String, Object>> batch = jdbc.queryForList("SELECT s.id, a.storage_key FROM submission s "
                    + "JOIN submission_artifact a ON a.submission_id = s.id AND a.kind = 'input' AND a.name = 'document' "
                    + "WHERE NOT EXISTS (SELECT 1 FROM submission_invoice i WHERE i.submission_id = s.id) "
                    + "ORDER BY s.created_at, s.id LIMIT " + (BATCH + unreadable.size()));
            List<Map<String, Object>> todo = batch.stream().filter(r -> !unreadable.contains((String) r.get("id"))).toList();
            if (todo.isEmpty()) {
                return listed;
            }
            for (Map<String, Object> row : todo) {
                String id = (String) row.get("id");
                try {
                    // the stored input is the document itself (01-document.json)
                    JsonNode document = json(store.get((String) row.get("storage_key"))
                            .orElseThrow(() -> new IllegalStateException("missing from storage")));
                    list(id, document);
                    listed++;
                } catch (RuntimeException e) {
                    LOG.warn("Submission {}: its document could not be read for CDAR look-ups: {}", id, e.getMessage());
                    unreadable.add(id);
                }
            }
        }
    }

    void list(String submissionId, JsonNode document) {
        String number = document.path("number").asText(null);
        try {
            jdbc.update("INSERT INTO submission_invoice (submission_id, invoice_number, seller_keys) VALUES (?,?,?)",
                    submissionId, number, "|" + String.join("|", sellerKeys(document.path("seller"))) + "|");
        } catch (DuplicateKeyException e) {
            // listed meanwhile by another look-up
        }
    }

    /** Every id the seller is known by: legal registration (SIREN/SIRET), identifiers, VAT id, electronic address. */
    static Set<String> sellerKeys(JsonNode seller) {
        Set<String> keys = new LinkedHashSet<>();
        add(keys, seller.path("legalRegistration").path("id").asText(null));
        seller.path("identifiers").forEach(i -> add(keys, i.path("id").asText(null)));
        add(keys, seller.path("vatId").asText(null));
        add(keys, seller.path("electronicAddress").path("id").asText(null));
        return keys;
    }

    private static void add(Set<String> keys, String id) {
        if (id != null && !normal(id).isEmpty()) {
            keys.add(normal(id));
        }
    }

    static JsonNode json(byte[] content) {
        try {
            return UnifiedJson.parse(content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("unreadable JSON", e);
        }
    }

    static String normal(String id) {
        return id == null ? "" : id.replaceAll("\\s+", "").replace("|", "").toUpperCase(Locale.ROOT);
    }
}
