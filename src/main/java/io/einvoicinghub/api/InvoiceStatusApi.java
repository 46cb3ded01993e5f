package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.cdar.InvoiceStatus;
import io.einvoicinghub.cdar.InvoiceStatusException;
import io.einvoicinghub.cdar.InvoiceStatusRecorder;
import io.einvoicinghub.cdar.InvoiceStatuses;
import io.einvoicinghub.cdar.StatusRecord;
import io.einvoicinghub.inbound.InboundReceipts;
import io.einvoicinghub.security.Caller;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.validation.Finding;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Invoice life-cycle statuses over HTTP (routes/api/invoice-status-api.camel.yaml, docs/cdar.md): post a status
 * event for a submission (the hub writes the CDAR message), post a received CDAR message, list a submission's
 * status history, download a stored message.
 */
@Component("invoiceStatusApi")
public class InvoiceStatusApi {

    static final String MESSAGES_PATH = "/api/v1/status-messages";
    static final Set<String> XML_TYPES = Set.of("application/xml", "text/xml");
    private static final Set<String> EVENT_FIELDS = Set.of("status", "statusAt", "issuer", "reason", "amount", "currency",
            "messageId");

    private final InvoiceStatusRecorder recorder;
    private final InvoiceStatuses statuses;
    private final SubmissionRepository submissions;
    private final InboundReceipts receipts;
    private final ArtifactStore store;
    private final HubProperties properties;

    public InvoiceStatusApi(InvoiceStatusRecorder recorder, InvoiceStatuses statuses, SubmissionRepository submissions,
                            InboundReceipts receipts, ArtifactStore store, HubProperties properties) {
        this.recorder = recorder;
        this.statuses = statuses;
        this.submissions = submissions;
        this.receipts = receipts;
        this.store = store;
        this.properties = properties;
    }

    /** 201 with the recorded status and its CDAR message; the request is refused whole when the message fails. */
    public void postEvent(Exchange exchange) {
        Caller caller = ErpApi.caller(exchange);
        Submission s = submission(exchange, caller);
        JsonNode body = RequestBodies.parseObject(RequestBodies.readJson(exchange, properties.api().maxRequestBytes()));
        InvoiceStatusRecorder.EventRequest request = eventRequest(body);
        try {
            StatusRecord row = recorder.recordEvent(s, request, caller.name());
            exchange.getMessage().setHeader("Location", messageHref(row.id()));
            HttpReplies.json(exchange, 201, view(row));
        } catch (InvoiceStatusException e) {
            answer(exchange, e);
        }
    }

    public void listStatuses(Exchange exchange) {
        Submission s = submission(exchange, ErpApi.caller(exchange));
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        answer.put("submissionId", s.id());
        ArrayNode items = answer.putArray("items");
        statuses.ofSubmission(s.id()).forEach(r -> items.add(view(r)));
        HttpReplies.json(exchange, 200, answer);
    }

    /** A received CDAR message: 201 with one status per invoice it refers to; 422 (kept) when none is known. */
    public void receiveMessage(Exchange exchange) throws IOException {
        Caller caller = ErpApi.caller(exchange);
        Map<String, String> query = QueryString.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        InvoiceStatusRecorder.Target target = new InvoiceStatusRecorder.Target(blank(query.get("submissionId")),
                blank(query.get("receiptId")));
        if (target.submissionId() != null && target.receiptId() != null) {
            throw new SubmissionRejectedException(400, "Invalid query", "Name a submissionId or a receiptId, not both");
        }
        byte[] xml = readXml(exchange);
        try {
            List<StatusRecord> rows = recorder.receive(xml, target, legalEntity -> legalEntity == null
                    ? caller.visibleLegalEntities() == null : caller.mayAccess(legalEntity), caller.name());
            ObjectNode answer = UnifiedJson.mapper().createObjectNode();
            ArrayNode items = answer.putArray("items");
            rows.forEach(r -> items.add(view(r)));
            exchange.getMessage().setHeader("Location", messageHref(rows.get(0).id()));
            HttpReplies.json(exchange, 201, answer);
        } catch (InvoiceStatusException e) {
            answer(exchange, e);
        }
    }

    /** The stored message of a status: the one the hub wrote or the one it received, byte for byte. */
    public void downloadMessage(Exchange exchange) {
        Caller caller = ErpApi.caller(exchange);
        String id = exchange.getMessage().getHeader("id", String.class);
        StatusRecord row = parseId(id).flatMap(statuses::find).filter(r -> mayRead(caller, r))
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No status message "
                        + RequestBodies.printable(id == null ? "" : id)));
        InputStream content = store.open(row.storageKey()).orElseThrow(() ->
                new IllegalStateException("Status message " + row.storageKey() + " is recorded but missing from storage"));
        var out = exchange.getMessage();
        HttpReplies.clearRequestHeaders(exchange);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/xml");
        out.setHeader("Content-Disposition", "attachment; filename=\"cdar-" + row.id() + ".xml\"");
        out.setHeader("Repr-Digest", "sha-256=:" + java.util.Base64.getEncoder()
                .encodeToString(java.util.HexFormat.of().parseHex(row.sha256())) + ":");
        out.setBody(content);
    }

    // ---- requests ---------------------------------------------------------------------------------------------------

    static InvoiceStatusRecorder.EventRequest eventRequest(JsonNode body) {
        List<ApiError> errors = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!EVENT_FIELDS.contains(name)) {
                errors.add(new ApiError("/" + name, "is not a field of a status event"));
            }
        }
        String status = text(body, "status", errors);
        if (status == null) {
            errors.add(new ApiError("/status", "is required: a status code of the French reform, e.g. 205"));
        } else if (InvoiceStatus.byCode(status).isEmpty()) {
            errors.add(new ApiError("/status", "must be one of 200-214, 220, 221, 224-228 (got '" + RequestBodies.printable(status) + "')"));
        }
        OffsetDateTime at = null;
        String atText = text(body, "statusAt", errors);
        if (atText != null) {
            try {
                at = OffsetDateTime.parse(atText);
            } catch (DateTimeParseException e) {
                errors.add(new ApiError("/statusAt", "must be a date-time with offset, e.g. 2026-12-02T10:15:30+01:00"));
            }
        }
        InvoiceStatus.Party issuer = null;
        String issuerText = text(body, "issuer", errors);
        if (issuerText != null) {
            try {
                issuer = InvoiceStatus.Party.valueOf(issuerText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new ApiError("/issuer", "must be buyer, seller or platform"));
            }
        }
        JsonNode reason = body.path("reason");
        if (!reason.isMissingNode() && !reason.isObject()) {
            errors.add(new ApiError("/reason", "must be an object {code, text}"));
        }
        String reasonCode = reason.isObject() ? text(reason, "/reason/", "code", errors) : null;
        String reasonText = reason.isObject() ? text(reason, "/reason/", "text", errors) : null;
        String amount = null;
        JsonNode amountNode = body.path("amount");
        if (!amountNode.isMissingNode() && !amountNode.isNull()) {
            amount = amountNode.isNumber() ? amountNode.decimalValue().toPlainString() : amountNode.asText();
            if (!amount.matches("\\d{1,17}(\\.\\d{1,2})?")) {
                errors.add(new ApiError("/amount", "must be a positive amount with at most 2 decimals"));
            }
        }
        String currency = text(body, "currency", errors);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            errors.add(new ApiError("/currency", "must be an ISO 4217 code, e.g. EUR"));
        }
        String messageId = text(body, "messageId", errors);
        if (messageId != null && !messageId.matches("[A-Za-z0-9+\\-_/#.]{1,200}")) {
            errors.add(new ApiError("/messageId", "must be 1-200 letters, digits or + - _ / # ."));
        }
        if (!errors.isEmpty()) {
            throw new SubmissionRejectedException(422, "Invalid value", "The status event is not valid (" + errors.size()
                    + " error(s))", errors);
        }
        return new InvoiceStatusRecorder.EventRequest(status, at, issuer, reasonCode, reasonText, amount, currency, messageId);
    }

    private static String text(JsonNode parent, String field, List<ApiError> errors) {
        return text(parent, "/", field, errors);
    }

    private static String text(JsonNode parent, String pointer, String field, List<ApiError> errors) {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            errors.add(new ApiError(pointer + field, "must be a non-empty string"));
            return null;
        }
        return n.asText();
    }

    private byte[] readXml(Exchange exchange) throws IOException {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!XML_TYPES.contains(mime)) {
            throw new SubmissionRejectedException(415, "Unsupported media type", "Send the CDAR message as application/xml (got '"
                    + RequestBodies.printable(mime.isEmpty() ? "none" : mime) + "')");
        }
        long max = properties.api().maxRequestBytes();
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > max) {
            throw new SubmissionRejectedException(413, "Payload too large", "The body (" + declared
                    + " bytes) exceeds the limit of " + max + " bytes");
        }
        byte[] body;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (body.length > max) {
            throw new SubmissionRejectedException(413, "Payload too large", "The body exceeds the limit of " + max + " bytes");
        }
        if (body.length == 0) {
            throw new SubmissionRejectedException(400, "Invalid request", "The request has no body: send the CDAR message");
        }
        return body;
    }

    // ---- answers ----------------------------------------------------------------------------------------------------

    private static void answer(Exchange exchange, InvoiceStatusException e) {
        SubmissionRejectedException refusal = switch (e.reason()) {
            case INVALID_EVENT -> new SubmissionRejectedException(422, "Invalid value", e.getMessage());
            case NOT_FINISHED -> new SubmissionRejectedException(409, "Not finished", e.getMessage());
            case MESSAGE_REFUSED, NOT_CDAR -> new SubmissionRejectedException(422, "Invalid status message", e.getMessage());
            case UNKNOWN_INVOICE -> new SubmissionRejectedException(422, "Unknown invoice", e.getMessage());
        };
        ObjectNode problem = HttpReplies.problem(refusal, null);
        ArrayNode findings = problem.putArray("findings");
        for (Finding f : e.findings()) {
            ObjectNode n = findings.addObject();
            n.put("ruleId", f.ruleId());
            n.put("severity", f.severity().name());
            n.put("message", f.message() == null ? null : f.message().strip().replaceAll("\\s+", " "));
            n.put("location", f.location());
        }
        if (e.kept() != null) {
            problem.putObject("kept").put("id", e.kept().id()).put("href", messageHref(e.kept().id()));
            exchange.getMessage().setHeader("Location", messageHref(e.kept().id()));
        }
        HttpReplies.clearRequestHeaders(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, refusal.httpStatus());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        exchange.getMessage().setBody(UnifiedJson.writePretty(problem));
    }

    static ObjectNode view(StatusRecord r) {
        ObjectNode n = UnifiedJson.mapper().createObjectNode();
        n.put("id", r.id());
        n.put("status", r.statusCode());
        n.put("label", r.statusLabel());
        n.put("statusAt", r.statusAt() == null ? null : r.statusAt().withOffsetSameInstant(java.time.ZoneOffset.UTC).toString());
        n.put("source", r.source());
        n.put("outcome", r.outcome());
        n.put("issuerRole", r.issuerRole());
        if (r.reasonCode() != null || r.reasonText() != null) {
            n.putObject("reason").put("code", r.reasonCode()).put("text", r.reasonText());
        }
        if (r.amount() != null) {
            n.put("amount", r.amount());
            n.put("currency", r.currency());
        }
        n.put("invoiceNumber", r.invoiceNumber());
        n.put("sellerId", r.sellerId());
        n.put("messageId", r.messageId());
        n.put("detail", r.detail());
        n.put("recordedAt", r.recordedAt().withOffsetSameInstant(java.time.ZoneOffset.UTC).toString());
        ObjectNode links = n.putObject("links");
        links.put("message", messageHref(r.id()));
        if (r.submissionId() != null) {
            links.put("submission", SubmissionViews.BASE_PATH + "/" + r.submissionId());
            if (r.artifactId() != null) {
                links.put("artifact", SubmissionViews.BASE_PATH + "/" + r.submissionId() + "/artifacts/" + r.artifactId());
            }
        }
        if (r.receiptId() != null) {
            links.put("receipt", InboundApi.BASE_PATH + "/receipts/" + r.receiptId());
        }
        return n;
    }

    private boolean mayRead(Caller caller, StatusRecord r) {
        if (r.submissionId() != null) {
            return submissions.findById(r.submissionId()).filter(s -> caller.mayAccess(s.legalEntity())).isPresent();
        }
        if (r.receiptId() != null) {
            return receipts.find(r.receiptId()).filter(x -> x.legalEntity() == null
                    ? caller.visibleLegalEntities() == null : caller.mayAccess(x.legalEntity())).isPresent();
        }
        // a message kept without an invoice: its sender, or a caller of every legal entity
        return caller.visibleLegalEntities() == null || caller.name().equals(r.caller());
    }

    /** Another legal entity's submission is answered exactly like one that does not exist. */
    private Submission submission(Exchange exchange, Caller caller) {
        String id = exchange.getMessage().getHeader("id", String.class);
        return submissions.findById(id == null ? "" : id).filter(s -> caller.mayAccess(s.legalEntity()))
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No submission "
                        + RequestBodies.printable(id == null ? "" : id)));
    }

    static String messageHref(long id) {
        return MESSAGES_PATH + "/" + id;
    }

    private static java.util.Optional<Long> parseId(String id) {
        try {
            return java.util.Optional.of(Long.parseLong(id == null ? "" : id));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
