package io.einvoicinghub.cdar;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.inbound.InboundReceipts;
import io.einvoicinghub.inbound.ReceiptStatus;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.storage.StorageKeys;
import io.einvoicinghub.storage.StoredArtifact;
import io.einvoicinghub.submission.LogEntries;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Records invoice life-cycle statuses. A status event for a submission becomes a CDAR message written from the
 * submitted invoice, checked with the shipped rules (any finding refuses it), stored and put on the submission's
 * log. A received CDAR message is stored first, then read, checked and recorded on the log of the submission or
 * inbound receipt it refers to; one that is not CDAR or refers to no known invoice is kept as such.
 */
public class InvoiceStatusRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceStatusRecorder.class);
    /** The step under which statuses appear in a submission's or receipt's log. */
    public static final String STEP = "invoice-status";
    public static final String ARTIFACT_KIND = "lifecycle";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

    private final CdarWriter writer;
    private final CdarReader reader;
    private final CdarRules rules;
    private final InvoiceStatuses statuses;
    private final InvoiceReferences references;
    private final SubmissionRepository submissions;
    private final InboundReceipts receipts;
    private final ArtifactStore store;
    private final JdbcTemplate jdbc;

    public InvoiceStatusRecorder(CdarWriter writer, CdarReader reader, CdarRules rules, InvoiceStatuses statuses,
                                 InvoiceReferences references, SubmissionRepository submissions, InboundReceipts receipts,
                                 ArtifactStore store, JdbcTemplate jdbc) {
        this.writer = writer;
        this.reader = reader;
        this.rules = rules;
        this.statuses = statuses;
        this.references = references;
        this.submissions = submissions;
        this.receipts = receipts;
        this.store = store;
        this.jdbc = jdbc;
    }

    /** What the operator or ERP says happened; the invoice's data come from the submission. */
    public record EventRequest(String statusCode, OffsetDateTime statusAt, InvoiceStatus.Party issuer, String reasonCode,
                               String reasonText, String amount, String currency, String messageId) {
    }

    // ---- a status event for a submission --------------------------------------------------------------------------

    public StatusRecord recordEvent(Submission s, EventRequest request, String caller) {
        InvoiceStatus status = InvoiceStatus.byCode(request.statusCode() == null ? "" : request.statusCode())
                .orElseThrow(() -> new InvoiceStatusException(InvoiceStatusException.Reason.INVALID_EVENT,
                        "status must be one of the published codes 200-214, 220, 221, 224-228 (got '" + request.statusCode() + "')"));
        if (!s.status().isTerminal()) {
            throw new InvoiceStatusException(InvoiceStatusException.Reason.NOT_FINISHED, "Submission " + s.id() + " is "
                    + s.status() + "; a status is recorded once its run has finished");
        }
        JsonNode document = document(s);
        StatusEvent event = event(status, request, document);
        byte[] xml = writer.write(event);
        ValidationReport report = check(xml);
        // the shipped Schematron flags every rule as a warning; a message the hub writes must pass them all
        List<Finding> findings = report.findings().stream().filter(f -> f.severity() != Finding.Severity.INFO).toList();
        if (!findings.isEmpty()) {
            throw new InvoiceStatusException(InvoiceStatusException.Reason.MESSAGE_REFUSED, "The CDAR message for status "
                    + status.code() + " (" + status.label() + ") fails " + rules.ruleSetId() + ": "
                    + String.join(", ", findings.stream().map(Finding::ruleId).distinct().toList()), findings, null);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String name = "cdar-" + status.code() + "-" + STAMP.format(now) + ".xml";
        StoredArtifact stored = store.put(StorageKeys.requireSafe(s.storagePrefix() + "lifecycle/" + name), xml, "application/xml");
        submissions.addArtifact(s.id(), s.runNo(), name, ARTIFACT_KIND, stored);
        Long artifactId = artifactId(s, stored.key());
        String messageId = event.messageId() != null ? event.messageId() : CdarWriter.defaultMessageId(event);
        StatusRecord row = statuses.insert(new StatusRecord(0, s.id(), null, StatusRecord.EVENT, StatusRecord.RECORDED,
                status.code(), status.label(), event.statusAt(), event.issuingParty().roleCode(), event.reasonCode(),
                event.reasonText(), event.amount(), event.amount() == null ? null : event.currency(),
                event.invoice().number(), event.seller().id(), messageId, stored.key(), stored.sha256(), stored.size(),
                artifactId, "Written by the hub from a status event; " + rules.ruleSetId() + " passed", caller, now));
        logOnSubmission(s, "Status " + status.code() + " " + status.label() + " written as CDAR message " + messageId, List.of());
        return row;
    }

    private StatusEvent event(InvoiceStatus status, EventRequest request, JsonNode document) {
        String number = document.path("number").asText("");
        LocalDate issueDate;
        try {
            issueDate = LocalDate.parse(document.path("issueDate").asText(""));
        } catch (DateTimeParseException e) {
            throw new InvoiceStatusException(InvoiceStatusException.Reason.INVALID_EVENT,
                    "The submitted invoice has no issue date (BT-2) for the message to refer to");
        }
        if (number.isBlank()) {
            throw new InvoiceStatusException(InvoiceStatusException.Reason.INVALID_EVENT,
                    "The submitted invoice has no number (BT-1) for the message to refer to");
        }
        String amount = request.amount();
        String currency = request.currency() != null ? request.currency() : document.path("currencyCode").asText("EUR");
        if (amount == null && status.needsAmount()) {
            // "Encaissée" without an amount: the amount due for payment (BT-115) was received
            amount = document.path("totals").path("payableAmount").asText(null);
        }
        OffsetDateTime at = request.statusAt() != null ? request.statusAt() : OffsetDateTime.now(ZoneOffset.UTC);
        return new StatusEvent(status, at, request.issuer(), new StatusEvent.Invoice(number, issueDate,
                document.path("typeCode").asText(null)), party(document.path("seller")), party(document.path("buyer")),
                request.reasonCode(), request.reasonText(), amount, currency, request.messageId());
    }

    /** A party of the unified model as the message names it: its SIREN (or other legal id) and electronic address. */
    static StatusEvent.TradeParty party(JsonNode p) {
        JsonNode legal = p.path("legalRegistration");
        JsonNode identifier = p.has("identifiers") ? p.path("identifiers").path(0) : p.path("identifier");
        String id = legal.path("id").asText(null);
        String scheme = legal.path("schemeId").asText(null);
        if (id == null) {
            id = identifier.path("id").asText(null);
            scheme = identifier.path("schemeId").asText(null);
        }
        if (id != null && scheme == null && id.replaceAll("\\s", "").matches("\\d{9}")) {
            scheme = "0002";
        }
        JsonNode address = p.path("electronicAddress");
        return new StatusEvent.TradeParty(id == null ? null : id.replaceAll("\\s", ""), scheme, p.path("name").asText(null),
                address.path("id").asText(null), address.path("schemeId").asText(null));
    }

    // ---- a received CDAR message ----------------------------------------------------------------------------------

    /** Where to record a received message when the caller names it; otherwise it is found by invoice and seller. */
    public record Target(String submissionId, String receiptId) {
        public static final Target FIND = new Target(null, null);
    }

    /**
     * @param mayAccess whether the caller may see a legal entity's submissions and receipts (null: a receipt not yet
     *                  routed to one)
     * @return one recorded row per invoice the message refers to and the caller has
     */
    public List<StatusRecord> receive(byte[] xml, Target target, Predicate<String> mayAccess, String caller) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String hex = HexFormat.of().formatHex(java.util.UUID.randomUUID().toString().getBytes(), 0, 4);
        String receivedKey = StorageKeys.requireSafe("_lifecycle/" + now.format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
                + "/" + STAMP.format(now) + "-" + hex + ".xml");
        // stored before anything is read: what arrived is kept whatever follows
        StoredArtifact stored = store.put(receivedKey, xml, "application/xml");
        List<CdarReader.ReceivedStatus> read;
        ValidationReport report;
        try {
            read = reader.readAll(xml);
            report = rules.validate(xml);
        } catch (SecureXml.UnsafeOrMalformedXmlException | CdarReader.NotACdarMessageException e) {
            StatusRecord kept = statuses.insert(new StatusRecord(0, null, null, StatusRecord.RECEIVED, StatusRecord.INVALID,
                    null, null, null, null, null, null, null, null, null, null, null, stored.key(), stored.sha256(),
                    stored.size(), null, e.getMessage(), caller, now));
            LOG.warn("Received status message kept as {} ({}): {}", kept.id(), stored.key(), e.getMessage());
            throw new InvoiceStatusException(InvoiceStatusException.Reason.NOT_CDAR, e.getMessage(), List.of(), kept);
        }
        List<Finding> xsdErrors = report.findings().stream().filter(Finding::isBlocking).toList();
        if (!xsdErrors.isEmpty()) {
            String why = "The message does not conform to the CDAR D22B schema: " + xsdErrors.get(0).message();
            StatusRecord kept = statuses.insert(new StatusRecord(0, null, null, StatusRecord.RECEIVED, StatusRecord.INVALID,
                    null, null, null, null, null, null, null, null, read.get(0).invoiceNumber(), read.get(0).sellerId(),
                    read.get(0).messageId(), stored.key(), stored.sha256(), stored.size(), null, why, caller, now));
            throw new InvoiceStatusException(InvoiceStatusException.Reason.NOT_CDAR, why, xsdErrors, kept);
        }
        List<StatusRecord> recorded = new ArrayList<>();
        StatusRecord firstUnmatched = null;
        for (CdarReader.ReceivedStatus r : read) {
            Match match = match(r, target, mayAccess);
            String label = InvoiceStatus.byCode(r.statusCode() == null ? "" : r.statusCode()).map(InvoiceStatus::label)
                    .orElse(r.statusLabel());
            String warnings = report.findings().isEmpty() ? rules.ruleSetId() + " passed"
                    : report.findings().size() + " finding(s) of " + rules.ruleSetId() + ": "
                    + String.join(", ", report.findings().stream().map(Finding::ruleId).distinct().toList());
            StatusRecord row = statuses.insert(new StatusRecord(0, match.submission == null ? null : match.submission.id(),
                    match.receiptId, StatusRecord.RECEIVED, match.found() ? StatusRecord.RECORDED : StatusRecord.UNMATCHED,
                    r.statusCode(), label, r.statusAt(), r.issuerRole(), r.reasonCode(), r.reasonText(), r.amount(),
                    r.currency(), r.invoiceNumber(), r.sellerId(), r.messageId(), stored.key(), stored.sha256(),
                    stored.size(), null, match.found() ? "Received; " + warnings : match.why, caller, now));
            if (!match.found()) {
                LOG.warn("Received status message {} kept as {}: {}", r.messageId(), row.id(), match.why);
                firstUnmatched = firstUnmatched == null ? row : firstUnmatched;
                continue;
            }
            String line = "Status " + r.statusCode() + " " + (label == null ? "" : label) + " received in CDAR message "
                    + r.messageId() + (r.reasonCode() == null ? "" : " (" + r.reasonCode()
                    + (r.reasonText() == null ? "" : ": " + r.reasonText()) + ")");
            if (match.submission != null) {
                logOnSubmission(match.submission, line, report.findings());
            } else {
                receipts.log(match.receiptId, STEP, "INFO", line, null, null);
                report.findings().forEach(f -> receipts.log(match.receiptId, STEP, f.severity().name(), f.message(),
                        f.ruleId(), f.location()));
            }
            recorded.add(row);
        }
        if (recorded.isEmpty()) {
            throw new InvoiceStatusException(InvoiceStatusException.Reason.UNKNOWN_INVOICE, firstUnmatched.detail(),
                    List.of(), firstUnmatched);
        }
        return recorded;
    }

    private record Match(Submission submission, String receiptId, String why) {
        boolean found() {
            return submission != null || receiptId != null;
        }
    }

    private Match match(CdarReader.ReceivedStatus r, Target target, Predicate<String> mayAccess) {
        String invoice = "invoice " + r.invoiceNumber() + " of seller " + r.sellerId();
        if (target.submissionId() != null) {
            Optional<Submission> s = submissions.findById(target.submissionId()).filter(x -> mayAccess.test(x.legalEntity()));
            return s.map(x -> new Match(x, null, null)).orElseGet(() -> new Match(null, null,
                    "No submission " + target.submissionId() + " (named for " + invoice + ")"));
        }
        if (target.receiptId() != null) {
            return receipts.find(target.receiptId()).filter(x -> mayAccess.test(x.legalEntity()))
                    .map(x -> new Match(null, x.id(), null))
                    .orElseGet(() -> new Match(null, null, "No receipt " + target.receiptId() + " (named for " + invoice + ")"));
        }
        if (r.invoiceNumber() == null || r.sellerId() == null) {
            return new Match(null, null, "The message names no invoice number (MDT-87) or seller id (MDT-129)");
        }
        // the newest submission of the invoice: a new version replaces an earlier one
        List<Submission> own = references.submissionsOf(r.invoiceNumber(), r.sellerId()).stream()
                .map(submissions::findById).flatMap(Optional::stream).filter(x -> mayAccess.test(x.legalEntity()))
                .sorted(java.util.Comparator.comparing(Submission::createdAt).reversed()).toList();
        if (!own.isEmpty()) {
            return new Match(own.get(0), null, null);
        }
        for (String receiptId : jdbc.queryForList("SELECT id FROM inbound_receipt WHERE invoice_number = ? AND status IN (?, ?) "
                + "ORDER BY created_at DESC", String.class, r.invoiceNumber(), ReceiptStatus.CONVERTED.label(),
                ReceiptStatus.ACKNOWLEDGED.label())) {
            var receipt = receipts.find(receiptId).orElseThrow();
            if (!mayAccess.test(receipt.legalEntity())) {
                continue;
            }
            JsonNode seller = store.get(receipt.unifiedKey()).map(InvoiceReferences::json).orElse(UnifiedJson.mapper().createObjectNode())
                    .path("document").path("seller");
            String wanted = InvoiceReferences.normal(r.sellerId());
            if (InvoiceReferences.sellerKeys(seller).stream().anyMatch(k -> k.equals(wanted)
                    || (wanted.length() == 9 && k.length() == 14 && k.startsWith(wanted)))) {
                return new Match(null, receipt.id(), null);
            }
        }
        return new Match(null, null, "No submission or inbound receipt of " + invoice + " is known to the hub");
    }

    // ---- shared ---------------------------------------------------------------------------------------------------

    private ValidationReport check(byte[] xml) {
        try {
            return rules.validate(xml);
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            throw new IllegalStateException("The stylesheet wrote XML that cannot be read back: " + e.getMessage(), e);
        }
    }

    private JsonNode document(Submission s) {
        LogEntries.Artifact input = submissions.artifacts(s.id(), 0).stream()
                .filter(a -> "input".equals(a.kind()) && "document".equals(a.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("Submission " + s.id() + " has no stored document"));
        JsonNode document = InvoiceReferences.json(store.get(input.storageKey()).orElseThrow(() ->
                new IllegalStateException("The document of submission " + s.id() + " is missing from storage")));
        references.list(s.id(), document);
        return document;
    }

    private Long artifactId(Submission s, String key) {
        return submissions.artifacts(s.id(), s.runNo()).stream().filter(a -> a.storageKey().equals(key))
                .map(LogEntries.Artifact::id).reduce((a, b) -> b).orElse(null);
    }

    /** A line in the log of the submission's current run; not while a run is writing it (its steps are its own). */
    private void logOnSubmission(Submission s, String message, List<Finding> findings) {
        Submission now = submissions.findById(s.id()).orElse(s);
        if (!now.status().isTerminal()) {
            return;
        }
        submissions.stepStarted(s.id(), now.runNo(), STEP);
        submissions.stepFinished(s.id(), now.runNo(), STEP, "Done", message);
        if (!findings.isEmpty()) {
            submissions.addFindings(s.id(), now.runNo(), STEP, findings);
        }
    }
}
