package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.inbound.InboundIntake;
import io.einvoicinghub.inbound.InboundProperties;
import io.einvoicinghub.inbound.InboundReceipt;
import io.einvoicinghub.inbound.InboundReceipts;
import io.einvoicinghub.inbound.ReceiptLogEntry;
import io.einvoicinghub.inbound.ReceiptStatus;
import io.einvoicinghub.security.Caller;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.UnifiedJson;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Inbound vendor invoices over HTTP (routes/api/inbound-api.camel.yaml): uploads (raw body or multipart), and the
 * ERP hand-off — list the documents ready for a legal entity with a cursor, fetch one as unified JSON, its original,
 * acknowledge the import — plus a receipt's log and the reprocessing of a Failed receipt.
 */
@Component("inboundApi")
public class InboundApi {

    public static final String BASE_PATH = "/api/v1/inbound";
    /** Raw upload bodies the hub takes; anything else (JSON, forms) is refused with 415. */
    static final Set<String> RAW_TYPES = Set.of("application/xml", "text/xml", "application/pdf", "application/pkcs7-mime",
            "application/octet-stream", "application/zip");
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final InboundIntake intake;
    private final InboundReceipts receipts;
    private final ArtifactStore store;
    private final InboundProperties properties;

    public InboundApi(InboundIntake intake, InboundReceipts receipts, ArtifactStore store, InboundProperties properties) {
        this.intake = intake;
        this.receipts = receipts;
        this.store = store;
        this.properties = properties;
    }

    /** One file per request; 202 with the receipt, 200 when the same Idempotency-Key brought the same file before. */
    public void upload(Exchange exchange) throws IOException {
        Caller caller = ErpApi.caller(exchange);
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (key != null && (key.length() > ErpApi.IDEMPOTENCY_KEY_MAX_LENGTH || !key.matches(ErpApi.IDEMPOTENCY_KEY_PATTERN))) {
            throw new SubmissionRejectedException(400, "Invalid header",
                    "Idempotency-Key must be 1-200 printable ASCII characters without spaces");
        }
        Upload upload = readUpload(exchange);
        if (upload.content().length == 0) {
            throw new SubmissionRejectedException(400, "Invalid request", "The upload is empty: send the invoice file");
        }
        // the same key and file from the same caller is one receipt; without a key every upload is its own source
        String source = caller.name() + "/" + (key != null ? key : UUID.randomUUID().toString());
        InboundIntake.IntakeResult result = intake.receive("http", source, upload.fileName(), upload.content());
        ObjectNode answer = summary(result.receipt());
        answer.put("duplicateUpload", !result.created());
        exchange.getMessage().setHeader("Location", receiptHref(result.receipt().id()));
        HttpReplies.json(exchange, result.created() ? 202 : 200, answer);
    }

    private record Upload(String fileName, byte[] content) {
    }

    private Upload readUpload(Exchange exchange) throws IOException {
        long max = properties.maxFileBytes();
        HttpServletRequest request = servletRequest(exchange);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (mime.startsWith("multipart/form-data")) {
            return multipart(request, max);
        }
        if (!RAW_TYPES.contains(mime)) {
            throw new SubmissionRejectedException(415, "Unsupported media type", "Upload the invoice as "
                    + String.join(", ", RAW_TYPES.stream().sorted().toList()) + " or multipart/form-data (got '"
                    + RequestBodies.printable(mime.isEmpty() ? "none" : mime) + "')");
        }
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > max) {
            throw tooLarge(declared, max);
        }
        byte[] body;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (body.length > max) {
            throw tooLarge(null, max);
        }
        String name = exchange.getMessage().getHeader("X-File-Name", String.class);
        return new Upload(name, body);
    }

    /** The first file part (field {@code file} preferred); text fields are ignored. */
    private static Upload multipart(HttpServletRequest request, long max) throws IOException {
        if (request instanceof MultipartHttpServletRequest multipart) {
            List<MultipartFile> files = multipart.getFiles("file").isEmpty()
                    ? multipart.getFileMap().values().stream().toList() : multipart.getFiles("file");
            if (files.isEmpty()) {
                throw new SubmissionRejectedException(400, "Invalid request", "The multipart body has no file part");
            }
            MultipartFile file = files.get(0);
            if (file.getSize() > max) {
                throw tooLarge(file.getSize(), max);
            }
            return new Upload(file.getOriginalFilename(), file.getBytes());
        }
        try {
            Part chosen = request == null ? null : request.getParts().stream()
                    .filter(p -> p.getSubmittedFileName() != null)
                    .sorted((a, b) -> Boolean.compare(!"file".equals(a.getName()), !"file".equals(b.getName())))
                    .findFirst().orElse(null);
            if (chosen == null) {
                throw new SubmissionRejectedException(400, "Invalid request", "The multipart body has no file part");
            }
            if (chosen.getSize() > max) {
                throw tooLarge(chosen.getSize(), max);
            }
            try (InputStream in = chosen.getInputStream()) {
                return new Upload(chosen.getSubmittedFileName(), in.readAllBytes());
            }
        } catch (ServletException | IllegalStateException e) {
            throw new SubmissionRejectedException(400, "Unreadable body", "The multipart body could not be read");
        }
    }

    private static SubmissionRejectedException tooLarge(Long size, long max) {
        return new SubmissionRejectedException(413, "Payload too large", (size == null ? "The upload" : "The upload ("
                + size + " bytes)") + " exceeds hub.inbound.max-file-bytes (" + max + " bytes)");
    }

    /** Converted documents of one legal entity not yet acknowledged, oldest first, from the cursor on. */
    public void listDocuments(Exchange exchange) {
        Caller caller = ErpApi.caller(exchange);
        Map<String, String> query = QueryString.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        String legalEntity = query.get("legalEntity");
        if (legalEntity == null || legalEntity.isBlank()) {
            throw new SubmissionRejectedException(400, "Invalid query", "legalEntity is required");
        }
        if (!caller.mayAccess(legalEntity)) {
            throw new SubmissionRejectedException(403, "Forbidden", "The credential may not read this legal entity's documents");
        }
        int limit = DEFAULT_LIMIT;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new SubmissionRejectedException(400, "Invalid query", "limit must be 1-" + MAX_LIMIT);
            }
        }
        Cursor cursor = Cursor.parse(query.get("cursor"));
        List<InboundReceipt> ready = receipts.ready(legalEntity, cursor == null ? null : cursor.convertedAt(),
                cursor == null ? null : cursor.id(), limit);
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        ArrayNode items = answer.putArray("items");
        ready.forEach(r -> items.add(summary(r)));
        InboundReceipt last = ready.isEmpty() ? null : ready.get(ready.size() - 1);
        answer.put("nextCursor", last == null ? (cursor == null ? null : cursor.text()) : new Cursor(last.convertedAt(), last.id()).text());
        answer.put("limit", limit);
        HttpReplies.json(exchange, 200, answer);
    }

    public void getDocument(Exchange exchange) throws IOException {
        InboundReceipt r = document(exchange);
        ObjectNode answer = summary(r);
        var stored = store.get(r.unifiedKey());
        if (stored.isEmpty() && !converts(r)) {
            answer.putNull("document"); // offered as the original only (FatturaPA, CFDI): fetch it from links.original
        } else {
            JsonNode unified = UnifiedJson.parse(stored.orElseThrow(() ->
                    new IllegalStateException("Unified JSON of receipt " + r.id() + " is missing from storage")));
            answer.set("document", unified.path("document"));
        }
        HttpReplies.json(exchange, 200, answer);
    }

    public void downloadOriginal(Exchange exchange) {
        InboundReceipt r = document(exchange);
        InputStream content = store.open(r.originalKey()).orElseThrow(() ->
                new IllegalStateException("Original of receipt " + r.id() + " is missing from storage"));
        var out = exchange.getMessage();
        HttpReplies.clearRequestHeaders(exchange);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, originalContentType(r));
        String name = r.fileName() == null ? "original" : r.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
        out.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
        out.setHeader("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(r.fileHash())) + ":");
        out.setBody(content);
    }

    /** Idempotent: acknowledging again answers the same. */
    public void acknowledge(Exchange exchange) {
        InboundReceipt r = document(exchange);
        receipts.acknowledge(r.id());
        HttpReplies.json(exchange, 200, summary(receipts.find(r.id()).orElseThrow()));
    }

    /** Any receipt with its log; one not yet routed to a legal entity only for callers of every legal entity. */
    public void getReceipt(Exchange exchange) {
        InboundReceipt r = receipt(exchange);
        ObjectNode answer = summary(r);
        answer.put("reason", r.reason());
        answer.put("channel", r.channel());
        answer.put("fileSize", r.fileSize());
        answer.put("sha256", r.fileHash());
        answer.put("duplicateOf", r.duplicateOf());
        answer.put("attempts", r.attempts());
        ArrayNode log = answer.putArray("log");
        for (ReceiptLogEntry e : receipts.log(r.id())) {
            ObjectNode n = log.addObject();
            n.put("at", text(e.at()));
            n.put("step", e.step());
            n.put("severity", e.severity());
            n.put("message", e.message());
            if (e.ruleId() != null) {
                n.put("ruleId", e.ruleId());
            }
            if (e.location() != null) {
                n.put("location", e.location());
            }
        }
        HttpReplies.json(exchange, 200, answer);
    }

    public void reprocess(Exchange exchange) {
        InboundReceipt r = receipt(exchange);
        InboundReceipt after;
        try {
            after = intake.reprocess(r.id()).orElseThrow();
        } catch (InboundIntake.ReceiptNotFailedException e) {
            throw new SubmissionRejectedException(409, "Not reprocessable", e.getMessage());
        }
        HttpReplies.json(exchange, 200, summary(after));
    }

    private InboundReceipt receipt(Exchange exchange) {
        Caller caller = ErpApi.caller(exchange);
        String id = exchange.getMessage().getHeader("id", String.class);
        return receipts.find(id == null ? "" : id)
                .filter(r -> r.legalEntity() == null ? caller.visibleLegalEntities() == null : caller.mayAccess(r.legalEntity()))
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No receipt "
                        + RequestBodies.printable(id == null ? "" : id)));
    }

    /** A receipt that became a document for the ERP (Converted or Acknowledged) of one of the caller's entities. */
    private InboundReceipt document(Exchange exchange) {
        Caller caller = ErpApi.caller(exchange);
        String id = exchange.getMessage().getHeader("id", String.class);
        return receipts.find(id == null ? "" : id)
                .filter(r -> r.status().offered() || r.status() == ReceiptStatus.ACKNOWLEDGED)
                .filter(r -> caller.mayAccess(r.legalEntity()))
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No inbound document "
                        + RequestBodies.printable(id == null ? "" : id)));
    }

    static ObjectNode summary(InboundReceipt r) {
        ObjectNode node = UnifiedJson.mapper().createObjectNode();
        node.put("id", r.id());
        node.put("status", r.status().label());
        node.put("legalEntity", r.legalEntity());
        node.put("format", r.detectedFormat());
        node.put("formatDetail", r.formatDetail());
        node.put("fileName", r.fileName());
        node.put("sellerId", r.sellerId());
        node.put("invoiceNumber", r.invoiceNumber());
        node.put("issueDate", r.issueDate());
        node.put("receivedAt", text(r.createdAt()));
        node.put("convertedAt", text(r.convertedAt()));
        node.put("acknowledgedAt", text(r.acknowledgedAt()));
        ObjectNode links = node.putObject("links");
        links.put("receipt", receiptHref(r.id()));
        if (r.status().offered() || r.status() == ReceiptStatus.ACKNOWLEDGED) {
            String doc = BASE_PATH + "/documents/" + r.id();
            links.put("document", doc);
            links.put("original", doc + "/original");
            links.put("acknowledgement", doc + "/acknowledgement");
        }
        if (r.status() == ReceiptStatus.FAILED) {
            links.put("reprocess", receiptHref(r.id()) + "/reprocess");
        }
        return node;
    }

    /** Formats the hub converts to the unified model; the others are offered as the original only (status Valid). */
    private static boolean converts(InboundReceipt r) {
        return !Set.of("FATTURAPA", "CFDI_40", "KSEF_FA3").contains(String.valueOf(r.detectedFormat()));
    }

    private static String receiptHref(String id) {
        return BASE_PATH + "/receipts/" + id;
    }

    private static String originalContentType(InboundReceipt r) {
        String format = r.detectedFormat() == null ? "" : r.detectedFormat();
        String detail = r.formatDetail() == null ? "" : r.formatDetail();
        // a hybrid PDF or a .p7m is recorded with its content's format; the detail says what it came in
        if (format.equals("FACTURX_PDF") || detail.endsWith(io.einvoicinghub.inbound.DetectedDocument.Container.PDF.label())) {
            return "application/pdf";
        }
        if (detail.endsWith(io.einvoicinghub.inbound.DetectedDocument.Container.SIGNED_ENVELOPE.label())) {
            return "application/pkcs7-mime";
        }
        if (format.equals("ZIP_ARCHIVE")) {
            return "application/zip";
        }
        return format.endsWith("_UBL") || format.endsWith("_CII") || Set.of("FATTURAPA", "CFDI_40", "KSEF_FA3").contains(format)
                ? "application/xml" : "application/octet-stream";
    }

    private static HttpServletRequest servletRequest(Exchange exchange) {
        return exchange.getIn() instanceof PlatformHttpMessage http ? http.getRequest() : null;
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }

    /** Opaque to the ERP: the position (conversion time, id) of the last document it was given. */
    record Cursor(OffsetDateTime convertedAt, String id) {

        String text() {
            Instant at = convertedAt.toInstant();
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "/" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int slash = decoded.indexOf('/');
                long micros = Long.parseLong(decoded.substring(0, slash));
                String id = decoded.substring(slash + 1);
                if (!id.matches("[0-9a-f-]{36}")) {
                    throw new IllegalArgumentException();
                }
                return new Cursor(OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC), id);
            } catch (RuntimeException e) {
                throw new SubmissionRejectedException(400, "Invalid query", "cursor is not one the hub gave out");
            }
        }
    }
}
