package io.einvoicinghub.cdar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.transform.UnifiedJsonToXml;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.XsltTransformer;

import javax.xml.transform.stream.StreamSource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Writes a {@link StatusEvent} as a CDAR message with the stylesheet {@value #STYLESHEET} of the transformations
 * folder. This class decides who sends and receives it (the parties of the French model); the stylesheet only
 * lays the message out, so an integrator can adapt the layout without Java.
 */
public class CdarWriter {

    public static final String STYLESHEET = "cdar/status-to-cdar.xsl";
    /** The public portal (PPF) as a recipient: its global id 9998 in scheme 0238, role DFH. */
    static final StatusEvent.TradeParty PUBLIC_PORTAL = new StatusEvent.TradeParty("9998", "0238", "PPF", null, null);
    /** Format 204 (CCYYMMDDHHMMSS) carries no zone: the hub writes French local time. */
    static final ZoneId FRENCH_TIME = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter F204 = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter F102 = DateTimeFormatter.BASIC_ISO_DATE;

    private final UnifiedJsonToXml jsonToXml;
    private final Path file;
    private volatile XsltExecutable stylesheet;

    /** The stylesheet is compiled on first use: a hub whose transformations folder lacks it still starts. */
    public CdarWriter(UnifiedJsonToXml jsonToXml, Path transformationsDir) {
        this.jsonToXml = jsonToXml;
        this.file = transformationsDir.resolve(STYLESHEET);
    }

    public boolean stylesheetPresent() {
        return Files.isRegularFile(file);
    }

    private XsltExecutable stylesheet() {
        XsltExecutable compiled = stylesheet;
        if (compiled == null) {
            if (!stylesheetPresent()) {
                throw new IllegalStateException("The CDAR stylesheet " + file.toAbsolutePath() + " is missing");
            }
            try {
                compiled = jsonToXml.processor().newXsltCompiler().compile(new StreamSource(file.toFile()));
            } catch (SaxonApiException e) {
                throw new IllegalStateException("The CDAR stylesheet " + file + " does not compile: " + e.getMessage(), e);
            }
            stylesheet = compiled;
        }
        return compiled;
    }

    public byte[] write(StatusEvent event) {
        ObjectNode message = message(event);
        try {
            XsltTransformer transformer = stylesheet().load();
            transformer.setInitialContextNode(jsonToXml.convert(UnifiedJson.mapper().writeValueAsString(message)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.setDestination(jsonToXml.processor().newSerializer(out));
            transformer.transform();
            return out.toByteArray();
        } catch (SaxonApiException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("The CDAR message could not be written: " + e.getMessage(), e);
        }
    }

    /** The id the hub gives its own messages: invoice number, status code and time of the status. */
    public static String defaultMessageId(StatusEvent event) {
        return event.invoice().number() + "_" + event.status().code() + "_" + F204.format(event.statusAt().atZoneSameInstant(FRENCH_TIME));
    }

    /** What the stylesheet lays out: the message's parties chosen here, dates already formatted. */
    ObjectNode message(StatusEvent event) {
        InvoiceStatus status = event.status();
        InvoiceStatus.Party issuer = event.issuingParty();
        String at = F204.format(event.statusAt().atZoneSameInstant(FRENCH_TIME));
        ObjectNode m = UnifiedJson.mapper().createObjectNode();
        m.put("messageId", event.messageId() != null ? event.messageId() : defaultMessageId(event));
        m.put("messageName", "CDV-" + status.code() + "_" + ascii(status.label()));
        m.put("issuedAt", at);
        m.put("phase", status.phase().typeCode());
        m.put("statusAt", at);
        // a platform names itself by role only; a buyer or seller issuing a processing status by its id (BR-FR-CDV-07)
        StatusEvent.TradeParty issuerParty = switch (issuer) {
            case PLATFORM -> null;
            case BUYER -> event.buyer();
            case SELLER -> event.seller();
        };
        party(m.putObject("sender"), issuer.roleCode(), issuer == InvoiceStatus.Party.PLATFORM ? null : issuerParty, false);
        party(m.putObject("issuer"), issuer.roleCode(), issuerParty, false);
        ArrayNode recipients = m.putArray("recipients");
        if (issuer == InvoiceStatus.Party.SELLER) {
            party(recipients.addObject(), InvoiceStatus.Party.BUYER.roleCode(), event.buyer(), true);
        } else {
            party(recipients.addObject(), InvoiceStatus.Party.SELLER.roleCode(), event.seller(), true);
        }
        if (status.reportedToPublicPortal()) {
            party(recipients.addObject(), "DFH", PUBLIC_PORTAL, false);
        }
        ObjectNode invoice = m.putObject("invoice");
        invoice.put("number", event.invoice().number());
        invoice.put("issueDate", F102.format(event.invoice().issueDate()));
        if (event.invoice().typeCode() != null) {
            invoice.put("typeCode", event.invoice().typeCode());
        }
        party(invoice.putObject("seller"), InvoiceStatus.Party.SELLER.roleCode(), event.seller(), false);
        m.putObject("status").put("code", status.code()).put("label", status.label());
        if (event.reasonCode() != null || event.reasonText() != null) {
            ObjectNode reason = m.putObject("reason");
            if (event.reasonCode() != null) {
                reason.put("code", event.reasonCode());
            }
            if (event.reasonText() != null) {
                reason.put("text", event.reasonText());
            }
        }
        if (event.amount() != null && status.carriesAmount()) {
            m.putObject("amount").put("value", event.amount()).put("currency", event.currency() == null ? "EUR" : event.currency());
        }
        return m;
    }

    private static void party(ObjectNode node, String role, StatusEvent.TradeParty party, boolean withAddress) {
        node.put("role", role);
        if (party == null) {
            return;
        }
        if (party.id() != null) {
            node.put("id", party.id());
            if (party.scheme() != null) {
                node.put("scheme", party.scheme());
            }
        }
        if (party.name() != null) {
            node.put("name", party.name());
        }
        if (withAddress && party.uri() != null) {
            node.put("uri", party.uri());
            if (party.uriScheme() != null) {
                node.put("uriScheme", party.uriScheme());
            }
        }
    }

    /** "Déposée" -> "Deposee": the message name of the specifications' examples (CDV-200_Deposee). */
    private static String ascii(String label) {
        return java.text.Normalizer.normalize(label, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replaceAll("[^A-Za-z0-9]+", "_");
    }
}
