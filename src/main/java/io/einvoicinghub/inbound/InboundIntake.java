package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.reader.UnifiedDocumentReader;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.OfficialRulesValidator;
import io.einvoicinghub.validation.SecureXml;
import io.einvoicinghub.validation.ValidationReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes in one received file from any channel and carries it as far as it can go: original stored first (nothing
 * lost), then the receipt row, then detection, official validation, conversion to the unified model (by
 * {@link UnifiedDocumentReader}, the reader outbound's fidelity tests use), legal-entity routing and the duplicate
 * check. Every outcome is a receipt status with its reason and log; nothing throws back at the channel once the
 * original is stored, so a channel may acknowledge its source (move the SFTP file, the mail) as soon as
 * {@link #receive} returns.
 *
 * <p>The same file from the same source (channel + source reference + SHA-256) is taken once: a second
 * {@link #receive} returns the first receipt and stores nothing (unique intake key in the database).
 */
public class InboundIntake {

    private static final Logger LOG = LoggerFactory.getLogger(InboundIntake.class);

    /** What {@link #receive} did: the receipt, and whether this call created it (false: seen before). */
    public record IntakeResult(InboundReceipt receipt, boolean created) {
    }

    private final ArtifactStore store;
    private final InboundReceipts receipts;
    private final TransactionTemplate transactions;
    private final FormatDetector detector;
    private final OfficialRulesValidator validator;
    private final UnifiedDocumentReader reader;
    private final LegalEntityRouter router;
    private final InboundProperties properties;
    private final ArchiveUnpacker archives;

    public InboundIntake(ArtifactStore store, InboundReceipts receipts, TransactionTemplate transactions,
                         FormatDetector detector, OfficialRulesValidator validator, UnifiedDocumentReader reader,
                         LegalEntityRouter router, InboundProperties properties) {
        this(store, receipts, transactions, detector, validator, reader, router, properties,
                new ArchiveUnpacker(ArchiveLimits.DEFAULTS, properties.maxFileBytes()));
    }

    public InboundIntake(ArtifactStore store, InboundReceipts receipts, TransactionTemplate transactions,
                         FormatDetector detector, OfficialRulesValidator validator, UnifiedDocumentReader reader,
                         LegalEntityRouter router, InboundProperties properties, ArchiveUnpacker archives) {
        this.archives = archives;
        this.store = store;
        this.receipts = receipts;
        this.transactions = transactions;
        this.detector = detector;
        this.validator = validator;
        this.reader = reader;
        this.router = router;
        this.properties = properties;
    }

    /**
     * @param channel         http, sftp, mail, blob …
     * @param sourceReference where the file came from on that channel (path, message id + attachment, blob name)
     * @param fileName        the name the sender gave it, for the ERP only (never used as a path)
     */
    public IntakeResult receive(String channel, String sourceReference, String fileName, byte[] content) {
        String hash = sha256(content);
        String intakeKey = sha256((channel + "\n" + sourceReference + "\n" + hash).getBytes(StandardCharsets.UTF_8));
        Optional<InboundReceipt> seen = receipts.findByIntakeKey(intakeKey);
        if (seen.isPresent()) {
            LOG.info("Inbound {} {} seen before as receipt {}", channel, sourceReference, seen.get().id());
            return new IntakeResult(seen.get(), false);
        }
        String id = UUID.randomUUID().toString();
        var now = InboundReceipts.now();
        String prefix = InboundLayout.receiptPrefix(now, id);
        store.put(prefix + InboundLayout.ORIGINAL, content, contentType(content));
        InboundReceipt receipt = new InboundReceipt(id, channel, truncate(sourceReference, 1000), safeName(fileName), hash,
                content.length, prefix, null, null, null, ReceiptStatus.RECEIVED, null, null, null, null, null, 1, now, now,
                null, null);
        try {
            receipts.insert(receipt, intakeKey);
        } catch (DuplicateKeyException concurrentTwin) {
            store.deleteUnaccepted(prefix); // no row refers to this copy: the twin's row holds the same file
            InboundReceipt first = receipts.findByIntakeKey(intakeKey).orElseThrow(() -> concurrentTwin);
            return new IntakeResult(first, false);
        }
        receipts.log(id, "receive", "INFO", "Received on " + channel + " from " + receipt.sourceReference() + " ("
                + content.length + " bytes, SHA-256 " + hash + ")", null, null);
        process(receipt, content);
        return new IntakeResult(receipts.find(id).orElseThrow(), true);
    }

    /**
     * Another attempt at a Failed receipt from its stored original (after a configuration fix, e.g. a buyer mapping).
     *
     * @return the receipt after the attempt; empty when there is no such receipt
     * @throws IllegalStateException when the receipt is not Failed
     */
    public Optional<InboundReceipt> reprocess(String id) {
        Optional<InboundReceipt> found = receipts.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!receipts.restartFailed(id)) {
            throw new ReceiptNotFailedException(id, found.get().status());
        }
        InboundReceipt receipt = receipts.find(id).orElseThrow();
        byte[] original = store.get(receipt.originalKey()).orElseThrow(() ->
                new IllegalStateException("Original of receipt " + id + " is missing from storage"));
        receipts.log(id, "reprocess", "INFO", "Attempt " + receipt.attempts() + " from the stored original", null, null);
        process(receipt, original);
        return receipts.find(id);
    }

    /**
     * Finishes receipts whose processing was interrupted (the hub stopped between storing the original and recording
     * the outcome): each still Received and untouched since {@code before} is taken over by one caller and processed
     * from its stored original. A channel that sees the file again meanwhile gets the same receipt, so nothing is lost
     * and nothing is taken twice.
     *
     * @return how many receipts this call resumed
     */
    public int resumeInterrupted(java.time.OffsetDateTime before, int limit) {
        int resumed = 0;
        for (InboundReceipt receipt : receipts.interrupted(before, limit)) {
            if (!receipts.takeOver(receipt.id(), receipt.updatedAt())) {
                continue; // another instance (or a reprocess) took it
            }
            Optional<byte[]> original = store.get(receipt.originalKey());
            if (original.isEmpty()) {
                fail(receipt.id(), null, null, "Original of the interrupted receipt is missing from storage");
                continue;
            }
            LOG.info("Inbound receipt {} ({} {}) was interrupted; processing it again from the stored original",
                    receipt.id(), receipt.channel(), receipt.sourceReference());
            receipts.log(receipt.id(), "resume", "INFO", "Interrupted before its outcome was recorded; processed again "
                    + "from the stored original", null, null);
            process(receipt, original.get());
            resumed++;
        }
        return resumed;
    }

    /** Thrown by {@link #reprocess} for a receipt that is not Failed. */
    public static class ReceiptNotFailedException extends RuntimeException {
        private final ReceiptStatus status;

        public ReceiptNotFailedException(String id, ReceiptStatus status) {
            super("Receipt " + id + " is " + status.label() + ", only Failed receipts are reprocessed");
            this.status = status;
        }

        public ReceiptStatus status() {
            return status;
        }
    }

    private void process(InboundReceipt receipt, byte[] content) {
        try {
            steps(receipt, content);
        } catch (RuntimeException e) {
            LOG.warn("Inbound receipt {} failed unexpectedly: {}", receipt.id(), e.toString());
            fail(receipt.id(), null, null, "Internal error while reading the file (" + e.getClass().getSimpleName()
                    + "): the original is kept; reprocess after the cause is fixed");
        }
    }

    private void steps(InboundReceipt receipt, byte[] content) {
        String id = receipt.id();
        if (content.length > properties.maxFileBytes()) {
            fail(id, null, null, "File of " + content.length + " bytes is larger than hub.inbound.max-file-bytes ("
                    + properties.maxFileBytes() + "); kept, not read");
            return;
        }
        DetectedDocument detected = detector.detect(content);
        InboundFormat format = detected.format();
        String formatName = format.name();
        String detail = detected.describe();
        receipts.log(id, "detect", "INFO", "Format: " + format.label() + " (" + detail + ")", null, null);
        for (DetectedDocument.Note note : detected.notes()) {
            receipts.log(id, "open", note.severity(), note.message(), note.ruleId(), null);
        }
        if (detected.unwrapped() && detected.content() != content) {
            store.put(receipt.storagePrefix() + InboundLayout.CONTENT, detected.content(), "application/xml");
        }
        if (detected.failure() != null) {
            fail(id, formatName, detail, detected.failure());
            return;
        }
        if (format == InboundFormat.ZIP_ARCHIVE) {
            unpack(receipt, content);
            return;
        }
        if (format == InboundFormat.FATTURAPA || format == InboundFormat.CFDI_40 || format == InboundFormat.KSEF_FA3) {
            national(receipt, detected, detail);
            return;
        }
        if (!format.convertible()) {
            fail(id, formatName, detail, notConvertibleReason(detected));
            return;
        }
        String ruleSet = format.ruleSet(detected.documentType());
        ValidationReport report;
        try {
            report = validator.validate(ruleSet, detected.content());
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            fail(id, formatName, detail, e.getMessage());
            return;
        }
        for (Finding finding : report.findings()) {
            receipts.log(id, "validate", finding.severity().name(), finding.message(), finding.ruleId(), finding.location());
        }
        receipts.log(id, "validate", report.isValid() ? "INFO" : "ERROR", "Validated with " + report.ruleSetId() + ": "
                + report.findings().size() + " finding(s), " + report.blockingRuleIds().size() + " blocking", null, null);
        if (!report.isValid()) {
            fail(id, formatName, detail, "Not valid under " + report.ruleSetId() + ": "
                    + String.join(", ", report.blockingRuleIds()));
            return;
        }
        ObjectNode document;
        try {
            document = reader.read(detected.content(), detected.syntax());
        } catch (UnifiedDocumentReader.UnsupportedDocumentException e) {
            fail(id, formatName, detail, "Conversion to the unified model failed: " + e.getMessage());
            return;
        }
        ObjectNode unified = UnifiedJson.mapper().createObjectNode();
        unified.set("document", document);
        store.put(receipt.storagePrefix() + InboundLayout.UNIFIED, UnifiedJson.write(unified), "application/json");
        receipts.log(id, "convert", "INFO", "Converted to the unified model", null, null);

        String sellerId = sellerId(document);
        String number = document.path("number").asText(null);
        String issueDate = document.path("issueDate").asText(null);
        LegalEntityRouter.Route route = router.route(document);
        if (!route.routed()) {
            receipts.recordOutcome(id, ReceiptStatus.FAILED, route.failure(), formatName, detail, null, sellerId,
                    number, issueDate, null);
            receipts.log(id, "route", "ERROR", route.failure(), null, null);
            return;
        }
        receipts.log(id, "route", "INFO", "Addressed to legal entity " + route.legalEntity(), null, null);
        offer(receipt, ReceiptStatus.CONVERTED, formatName, detail, route.legalEntity(), sellerId, number, issueDate);
    }

    /** Offered to the ERP (Converted, or Valid: original only), unless the same file or document was offered before. */
    private void offer(InboundReceipt receipt, ReceiptStatus offered, String format, String detail, String legalEntity,
                       String sellerId, String number, String issueDate) {
        String fileClaim = sha256(("file\n" + receipt.fileHash()).getBytes(StandardCharsets.UTF_8));
        String documentClaim = sellerId == null || number == null || issueDate == null ? null
                : sha256(("document\n" + sellerId + "\n" + number + "\n" + issueDate).getBytes(StandardCharsets.UTF_8));
        try {
            transactions.executeWithoutResult(tx -> {
                receipts.claim(fileClaim, "file", receipt.id());
                if (documentClaim != null) {
                    receipts.claim(documentClaim, "document", receipt.id());
                }
                receipts.recordOutcome(receipt.id(), offered, null, format, detail, legalEntity, sellerId,
                        number, issueDate, null);
            });
            receipts.log(receipt.id(), "offer", "INFO", "Ready for the ERP of legal entity " + legalEntity
                    + (offered == ReceiptStatus.VALID ? " (the original only, no unified JSON)" : ""), null, null);
        } catch (DuplicateKeyException e) {
            Optional<String> sameFile = receipts.claimHolder(fileClaim);
            if (sameFile.isPresent() && sameFile.get().equals(receipt.id())) {
                // this receipt holds the claim already: another attempt at it (a resume that overlapped a slow
                // first attempt) offered it; not a duplicate of itself
                LOG.info("Inbound receipt {} was offered by an overlapping attempt", receipt.id());
                return;
            }
            String first = sameFile.orElseGet(() -> documentClaim == null ? null : receipts.claimHolder(documentClaim).orElse(null));
            String reason = sameFile.isPresent()
                    ? "The same file was received before as receipt " + first
                    : "Seller " + sellerId + ", invoice " + number + " of " + issueDate + " was received before as receipt " + first;
            receipts.recordOutcome(receipt.id(), ReceiptStatus.DUPLICATE, reason, format, detail, legalEntity, sellerId,
                    number, issueDate, first);
            receipts.log(receipt.id(), "duplicate", "WARNING", reason + "; not offered to the ERP again", null, null);
        }
    }

    /**
     * A zip archive: each file becomes a receipt of its own (source {@code <archive source>!/<entry name>}), the
     * archive's receipt Unpacked with their ids in its log; over a limit, or inside another archive, it is Failed.
     */
    private void unpack(InboundReceipt archive, byte[] content) {
        String id = archive.id();
        if (archive.sourceReference().contains(ARCHIVE_ENTRY)) {
            fail(id, InboundFormat.ZIP_ARCHIVE.name(), "zip archive", "A zip archive inside a zip archive is not unpacked "
                    + "(one level only, against nested zip bombs); the file is kept");
            return;
        }
        ArchiveUnpacker.Result unpacked = archives.unpack(content);
        if (unpacked.failure() != null) {
            fail(id, InboundFormat.ZIP_ARCHIVE.name(), "zip archive", unpacked.failure());
            return;
        }
        receipts.log(id, "unpack", "INFO", "Zip archive of " + unpacked.entries().size() + " file(s)", null, null);
        for (ArchiveUnpacker.Entry entry : unpacked.entries()) {
            IntakeResult taken = receive(archive.channel(), archive.sourceReference() + ARCHIVE_ENTRY + entry.name(), entry.name(),
                    entry.content());
            receipts.log(id, "unpack", "INFO", ArchiveUnpacker.printable(entry.name()) + " (" + entry.content().length
                    + " bytes) is receipt " + taken.receipt().id() + ": " + taken.receipt().status().label(), null, null);
        }
        receipts.recordOutcome(id, ReceiptStatus.UNPACKED, null, InboundFormat.ZIP_ARCHIVE.name(),
                unpacked.entries().size() + " file(s)", null, null, null, null, null);
    }

    /**
     * FatturaPA and CFDI 4.0: the identifiers read into the receipt, FatturaPA checked against its official XSD, the
     * buyer routed, the duplicate check as for any document; not converted to the unified model, so a valid, routed
     * one is offered to the ERP as its original only (status Valid, no unified JSON; docs/inbound.md).
     */
    private void national(InboundReceipt receipt, DetectedDocument detected, String detail) {
        String id = receipt.id();
        String format = detected.format().name();
        NationalInvoiceHeader header;
        try {
            header = NationalInvoiceHeader.read(detected.format(), detected.content());
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            fail(id, format, detail, e.getMessage());
            return;
        }
        String ruleSet = detected.format().ruleSet(null);
        String validity = "not validated (no official rule set for " + detected.format().label() + " in the hub)";
        if (detected.format() == InboundFormat.KSEF_FA3) {
            List<String> errors = fa3Schema().validate(detected.content());
            errors.forEach(e -> receipts.log(id, "validate", "ERROR", e, "XSD", null));
            if (!errors.isEmpty()) {
                receipts.recordOutcome(id, ReceiptStatus.FAILED, "Not valid under the FA(3) schema "
                        + io.einvoicinghub.ksef.Fa3SchemaValidator.SCHEMA_FILE + ": " + errors.get(0)
                        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""), format, detail, null,
                        header.sellerId(), header.invoiceNumber(), header.issueDate(), null);
                receipts.log(id, "fail", "ERROR", "Not valid under the FA(3) schema", null, null);
                return;
            }
            validity = "valid under the FA(3) schema " + io.einvoicinghub.ksef.Fa3SchemaValidator.SCHEMA_FILE;
        } else if (ruleSet != null && validator.knows(ruleSet)) {
            ValidationReport report;
            try {
                report = validator.validate(ruleSet, detected.content());
            } catch (SecureXml.UnsafeOrMalformedXmlException e) {
                fail(id, format, detail, e.getMessage());
                return;
            }
            for (Finding finding : report.findings()) {
                receipts.log(id, "validate", finding.severity().name(), finding.message(), finding.ruleId(), finding.location());
            }
            if (!report.isValid()) {
                receipts.recordOutcome(id, ReceiptStatus.FAILED, "Not valid under " + report.ruleSetId() + ": "
                        + String.join(", ", report.blockingRuleIds()), format, detail, null, header.sellerId(),
                        header.invoiceNumber(), header.issueDate(), null);
                receipts.log(id, "fail", "ERROR", "Not valid under " + report.ruleSetId(), null, null);
                return;
            }
            validity = "valid under " + report.ruleSetId();
        }
        String what = detected.format().label() + " invoice " + header.invoiceNumber() + " of " + header.issueDate()
                + (header.authorityId() == null ? "" : " (UUID " + header.authorityId() + ")") + " from " + header.sellerId()
                + (header.bodies() > 1 ? " (the first of " + header.bodies() + " invoices in the file)" : "") + ", " + validity;
        receipts.log(id, "read", "INFO", what + "; not converted to the unified model: offered as the original only", null, null);
        LegalEntityRouter.Route route = router.route(header.routingDocument());
        if (!route.routed()) {
            receipts.recordOutcome(id, ReceiptStatus.FAILED, route.failure(), format, detail, null, header.sellerId(),
                    header.invoiceNumber(), header.issueDate(), null);
            receipts.log(id, "route", "ERROR", route.failure(), null, null);
            return;
        }
        receipts.log(id, "route", "INFO", "Addressed to legal entity " + route.legalEntity(), null, null);
        offer(receipt, ReceiptStatus.VALID, format, detail, route.legalEntity(), header.sellerId(), header.invoiceNumber(),
                header.issueDate());
    }

    private volatile io.einvoicinghub.ksef.Fa3SchemaValidator fa3Schema;

    /** The Ministry's FA(3) XSD (vendored under transformations/ksef/schema), compiled on first use. */
    private io.einvoicinghub.ksef.Fa3SchemaValidator fa3Schema() {
        io.einvoicinghub.ksef.Fa3SchemaValidator schema = fa3Schema;
        if (schema == null) {
            synchronized (this) {
                if (fa3Schema == null) {
                    fa3Schema = new io.einvoicinghub.ksef.Fa3SchemaValidator();
                }
                schema = fa3Schema;
            }
        }
        return schema;
    }

    /** Separates an archive's source reference from the entry name in its entries' source references. */
    static final String ARCHIVE_ENTRY = "!/";

    private static String notConvertibleReason(DetectedDocument detected) {
        return switch (detected.format()) {
            case UNKNOWN -> "Unknown format: " + detected.detail();
            case FACTURX_MINIMUM_CII, FACTURX_BASIC_WL_CII -> detected.format().label()
                    + " carries no invoice lines and is not an EN 16931 invoice; it cannot be converted";
            default -> detected.format().label() + " (" + detected.detail() + ") is not a specification the hub validates";
        };
    }

    private void fail(String id, String format, String detail, String reason) {
        receipts.recordOutcome(id, ReceiptStatus.FAILED, reason, format, detail, null, null, null, null, null);
        receipts.log(id, "fail", "ERROR", reason, null, null);
    }

    /** Seller VAT id (BT-31), else electronic address (BT-34), else first seller identifier (BT-29), else name. */
    static String sellerId(JsonNode document) {
        JsonNode seller = document.path("seller");
        String vat = seller.path("vatId").asText(null);
        if (vat != null && !vat.isBlank()) {
            return "VAT:" + LegalEntityRouter.normal(vat);
        }
        JsonNode address = seller.path("electronicAddress");
        if (!address.path("id").asText("").isBlank()) {
            return "EAS:" + LegalEntityRouter.normal(address.path("schemeId").asText("") + ":" + address.path("id").asText());
        }
        JsonNode identifier = seller.path("identifiers").path(0);
        if (!identifier.path("id").asText("").isBlank()) {
            return "ID:" + LegalEntityRouter.normal(identifier.path("schemeId").asText("") + ":" + identifier.path("id").asText());
        }
        String name = seller.path("name").asText(null);
        return name == null || name.isBlank() ? null : "NAME:" + name.strip().toUpperCase(Locale.ROOT);
    }

    static String contentType(byte[] content) {
        if (content.length >= 5 && content[0] == '%' && content[1] == 'P' && content[2] == 'D' && content[3] == 'F') {
            return "application/pdf";
        }
        if (content.length >= 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4) {
            return "application/zip";
        }
        return content.length > 0 && content[0] == 0x30 ? "application/pkcs7-mime" : "application/octet-stream";
    }

    private static String safeName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "_");
        return truncate(base.isBlank() ? "_" : base, 300);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
