package io.einvoicinghub.inbound.channel;

import io.einvoicinghub.inbound.InboundIntake;
import io.einvoicinghub.inbound.InboundReceipt;
import io.einvoicinghub.inbound.ReceiptStatus;
import jakarta.activation.DataHandler;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hands the attachments of one mail to {@link InboundIntake}: each attachment whose name matches the source's pattern
 * an invoice of its own, or the first matching one the invoice and the mail's other attachments kept with its receipt
 * ({@link InboundChannelsProperties.MailMode}). Returns once every receipt is committed, so the mail consumer may
 * then move the mail to the archive folder; a mail without a matching attachment, or with a Failed receipt, is
 * thrown as {@link ReceiptFailedException} so the route moves it to the error folder.
 *
 * <p>The source reference of an attachment is the source id, the mail's Message-ID and the attachment's name: the
 * same mail seen again (moved back, or not moved before a crash) is the same receipts.
 */
@Component
public class MailIntake {

    private static final Logger LOG = LoggerFactory.getLogger(MailIntake.class);
    public static final String MODE = "hubInboundMailMode";
    public static final String ATTACHMENT_PATTERN = "hubInboundAttachmentPattern";

    private final InboundIntake intake;
    private final ReceiptAttachments attachments;

    public MailIntake(InboundIntake intake, ReceiptAttachments attachments) {
        this.intake = intake;
        this.attachments = attachments;
    }

    public void mail(Exchange exchange) throws IOException {
        String source = exchange.getMessage().getHeader(FileDropIntake.SOURCE, String.class);
        InboundChannelsProperties.MailMode mode = InboundChannelsProperties.MailMode.valueOf(
                exchange.getMessage().getHeader(MODE, String.class));
        Pattern pattern = Pattern.compile(exchange.getMessage().getHeader(ATTACHMENT_PATTERN, String.class), Pattern.CASE_INSENSITIVE);
        String messageId = messageId(exchange);
        Map<String, byte[]> all = attachments(exchange);
        List<String> invoices = all.keySet().stream().filter(name -> pattern.matcher(name).matches()).toList();
        if (invoices.isEmpty()) {
            throw new ReceiptFailedException("no attachment of mail " + messageId + " matches " + pattern.pattern()
                    + " (attachments: " + (all.isEmpty() ? "none" : String.join(", ", all.keySet())) + ")");
        }
        List<String> failed = new ArrayList<>();
        List<String> taken = new ArrayList<>();
        List<String> toTake = mode == InboundChannelsProperties.MailMode.EACH_ATTACHMENT ? invoices : invoices.subList(0, 1);
        for (String name : toTake) {
            InboundIntake.IntakeResult result = intake.receive("mail", "mail:" + source + ":" + messageId + ":" + name,
                    name, all.get(name));
            InboundReceipt receipt = result.receipt();
            if (mode == InboundChannelsProperties.MailMode.MAIN_DOCUMENT) {
                Map<String, byte[]> rest = new LinkedHashMap<>(all);
                rest.remove(name);
                attachments.keep(receipt, rest);
            }
            taken.add(receipt.id());
            if (receipt.status() == ReceiptStatus.FAILED) {
                failed.add(name + " (receipt " + receipt.id() + ": " + receipt.reason() + ")");
            }
        }
        exchange.getMessage().setHeader(FileDropIntake.RECEIPT_ID, String.join(",", taken));
        exchange.getMessage().setBody(null);
        LOG.info("Mail {} from source {}: {} receipt(s) {}", messageId, source, taken.size(), taken);
        if (!failed.isEmpty()) {
            throw new ReceiptFailedException("mail " + messageId + ": " + String.join("; ", failed));
        }
    }

    /** The Message-ID, or (a mail without one) a digest of its date, sender and subject. */
    private static String messageId(Exchange exchange) {
        String id = exchange.getMessage().getHeader("Message-ID", String.class);
        if (id == null || id.isBlank()) {
            id = exchange.getMessage().getHeader("CamelMailMessageId", String.class);
        }
        if (id != null && !id.isBlank()) {
            return id.strip();
        }
        String basis = exchange.getMessage().getHeader("Date", "", String.class) + "\n"
                + exchange.getMessage().getHeader("From", "", String.class) + "\n"
                + exchange.getMessage().getHeader("Subject", "", String.class);
        try {
            return "digest:" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(basis.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> attachments(Exchange exchange) throws IOException {
        Map<String, byte[]> read = new LinkedHashMap<>();
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        if (message == null || !message.hasAttachments()) {
            return read;
        }
        for (Map.Entry<String, DataHandler> a : message.getAttachments().entrySet()) {
            try (InputStream in = a.getValue().getInputStream()) {
                read.put(a.getKey(), in.readAllBytes());
            }
        }
        return read;
    }
}
