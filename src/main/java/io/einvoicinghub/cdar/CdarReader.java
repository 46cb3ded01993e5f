package io.einvoicinghub.cdar;

import io.einvoicinghub.validation.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a received CDAR message says: for each invoice it refers to (ReferenceReferencedDocument), the invoice
 * number and issue date, the seller's id, the status code and label, reason, amount, and the message's own id,
 * time and issuer. Only reads; validation is {@link CdarRules}' job.
 */
public class CdarReader {

    static final String RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100";
    static final String RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
    private static final DateTimeFormatter F204 = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** One status of one invoice, as a received message states it. */
    public record ReceivedStatus(String messageId, String phase, String issuerRole, String issuerId, String invoiceNumber,
                                 LocalDate invoiceIssueDate, String invoiceTypeCode, String sellerId, String statusCode,
                                 String statusLabel, OffsetDateTime statusAt, String reasonCode, String reasonText,
                                 String amount, String currency) {
    }

    public static class NotACdarMessageException extends Exception {
        NotACdarMessageException(String message) {
            super(message);
        }
    }

    public ReceivedStatus read(byte[] xml) throws SecureXml.UnsafeOrMalformedXmlException, NotACdarMessageException {
        return readAll(xml).get(0);
    }

    public List<ReceivedStatus> readAll(byte[] xml) throws SecureXml.UnsafeOrMalformedXmlException, NotACdarMessageException {
        Document doc = SecureXml.parse(xml);
        Element root = doc.getDocumentElement();
        if (!RSM.equals(root.getNamespaceURI()) || !"CrossDomainAcknowledgementAndResponse".equals(root.getLocalName())) {
            throw new NotACdarMessageException("The root element is {" + root.getNamespaceURI() + "}" + root.getLocalName()
                    + ", not a CDAR CrossDomainAcknowledgementAndResponse");
        }
        Element exchanged = child(root, RSM, "ExchangedDocument");
        String messageId = text(child(exchanged, RAM, "ID"));
        Element issuer = child(exchanged, RAM, "IssuerTradeParty");
        OffsetDateTime messageAt = dateTime(child(exchanged, RAM, "IssueDateTime"));
        List<ReceivedStatus> statuses = new ArrayList<>();
        for (Element ack : children(root, RSM, "AcknowledgementDocument")) {
            String phase = text(child(ack, RAM, "TypeCode"));
            OffsetDateTime ackAt = dateTime(child(ack, RAM, "IssueDateTime"));
            for (Element ref : children(ack, RAM, "ReferenceReferencedDocument")) {
                Element status = child(ref, RAM, "SpecifiedDocumentStatus");
                Element amount = null;
                if (status != null) {
                    for (Element c : children(status, RAM, "SpecifiedDocumentCharacteristic")) {
                        if ("MEN".equals(text(child(c, RAM, "TypeCode")))) {
                            amount = child(c, RAM, "ValueAmount");
                        }
                    }
                }
                String code = text(child(ref, RAM, "ProcessConditionCode"));
                if (code == null && status != null) {
                    code = text(child(status, RAM, "ProcessConditionCode"));
                }
                statuses.add(new ReceivedStatus(messageId, phase, text(child(issuer, RAM, "RoleCode")),
                        text(child(issuer, RAM, "GlobalID")), text(child(ref, RAM, "IssuerAssignedID")),
                        date(child(ref, RAM, "FormattedIssueDateTime")), text(child(ref, RAM, "TypeCode")),
                        text(child(child(ref, RAM, "IssuerTradeParty"), RAM, "GlobalID")), code,
                        text(child(ref, RAM, "ProcessCondition")), ackAt != null ? ackAt : messageAt,
                        status == null ? null : text(child(status, RAM, "ReasonCode")),
                        status == null ? null : text(child(status, RAM, "Reason")), text(amount),
                        amount == null || amount.getAttribute("currencyID").isBlank() ? null : amount.getAttribute("currencyID")));
            }
        }
        if (statuses.isEmpty()) {
            throw new NotACdarMessageException("The message refers to no invoice (no ReferenceReferencedDocument)");
        }
        return statuses;
    }

    private static Element child(Element parent, String ns, String name) {
        List<Element> all = parent == null ? List.of() : children(parent, ns, name);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String ns, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        if (e == null) {
            return null;
        }
        String t = e.getTextContent().strip();
        return t.isEmpty() ? null : t;
    }

    /** A udt/qdt DateTimeString: format 204 (French local time) or 102 (a date, midnight). */
    private static OffsetDateTime dateTime(Element wrapper) {
        Element string = firstElement(wrapper);
        String value = text(string);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 8) {
                return LocalDate.parse(value, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(CdarWriter.FRENCH_TIME).toOffsetDateTime();
            }
            if (value.length() == 14) {
                return LocalDateTime.parse(value, F204).atZone(CdarWriter.FRENCH_TIME).toOffsetDateTime();
            }
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalDate date(Element wrapper) {
        OffsetDateTime at = dateTime(wrapper);
        return at == null ? null : at.atZoneSameInstant(CdarWriter.FRENCH_TIME).toLocalDate();
    }

    private static Element firstElement(Element parent) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }
}
