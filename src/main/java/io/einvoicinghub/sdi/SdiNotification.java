package io.einvoicinghub.sdi;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One of SDI's message files to the transmitter (MessaggiTypes_v1.1.xsd, namespace
 * {@code http://www.fatturapa.gov.it/sdi/messaggi/v1.0}): RicevutaConsegna (RC), NotificaScarto (NS) with its
 * ListaErrori, NotificaMancataConsegna (MC), NotificaEsito (NE) carrying the recipient's EsitoCommittente
 * (EC01 accepted / EC02 refused), AttestazioneTrasmissioneFattura (AT) and NotificaDecorrenzaTermini (DT).
 */
public record SdiNotification(Type type, String identificativoSdI, String invoiceFileName, String receivedAt,
                              List<Error> errors, String esito, String description, String messageId, String note) {

    public static final String NS = "http://www.fatturapa.gov.it/sdi/messaggi/v1.0";

    public enum Type {
        RC("RicevutaConsegna"), NS("NotificaScarto"), MC("NotificaMancataConsegna"), NE("NotificaEsito"),
        AT("AttestazioneTrasmissioneFattura"), DT("NotificaDecorrenzaTermini");

        public final String element;

        Type(String element) {
            this.element = element;
        }

        static Optional<Type> ofElement(String localName) {
            for (Type t : values()) {
                if (t.element.equals(localName)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** An entry of a NotificaScarto's ListaErrori: SDI's five-digit code and its description. */
    public record Error(String code, String description) {
    }

    public static SdiNotification parse(byte[] xml) throws SdiXml.SdiMessageException {
        Element root = SdiXml.parse(xml).getDocumentElement();
        if (!NS.equals(root.getNamespaceURI())) {
            throw new SdiXml.SdiMessageException("root {" + root.getNamespaceURI() + "}" + root.getLocalName()
                    + " is not an SDI message (namespace " + NS + ")");
        }
        Type type = Type.ofElement(root.getLocalName())
                .orElseThrow(() -> new SdiXml.SdiMessageException(root.getLocalName() + " is not a message to a transmitter"));
        String id = SdiXml.text(root, "IdentificativoSdI").orElseThrow(() -> new SdiXml.SdiMessageException("IdentificativoSdI missing"));
        String name = SdiXml.text(root, "NomeFile").orElseThrow(() -> new SdiXml.SdiMessageException("NomeFile missing"));
        List<Error> errors = new ArrayList<>();
        SdiXml.child(root, "ListaErrori").ifPresent(list -> SdiXml.children(list).forEach(e ->
                errors.add(new Error(SdiXml.text(e, "Codice").orElse(""), SdiXml.text(e, "Descrizione").orElse("")))));
        String esito = null;
        String description = SdiXml.text(root, "Descrizione").orElse(null);
        Optional<Element> outcome = SdiXml.child(root, "EsitoCommittente");
        if (outcome.isPresent()) {
            esito = SdiXml.text(outcome.get(), "Esito").orElse(null);
            description = SdiXml.text(outcome.get(), "Descrizione").orElse(description);
        }
        return new SdiNotification(type, id, name, SdiXml.text(root, "DataOraRicezione").orElse(null), List.copyOf(errors),
                esito, description, SdiXml.text(root, "MessageId").orElse(null), SdiXml.text(root, "Note").orElse(null));
    }

    /** The message file (unsigned; SDI signs it with XAdES before sending). */
    public byte[] toXml(String recipientCode, String recipientName, String hashOfOriginal) {
        Document doc = SdiXml.newDocument();
        Element root = doc.createElementNS(NS, "types:" + type.element);
        root.setAttribute("versione", "1.0");
        doc.appendChild(root);
        SdiXml.add(root, "IdentificativoSdI", identificativoSdI);
        if (type != Type.DT) {
            SdiXml.add(root, "NomeFile", invoiceFileName);
        }
        switch (type) {
            case RC -> {
                SdiXml.add(root, "DataOraRicezione", receivedAt);
                SdiXml.add(root, "DataOraConsegna", receivedAt);
                destination(root, recipientCode, recipientName);
            }
            case NS -> {
                SdiXml.add(root, "DataOraRicezione", receivedAt);
                Element list = SdiXml.add(root, "ListaErrori", null);
                for (Error e : errors) {
                    Element error = SdiXml.add(list, "Errore", null);
                    SdiXml.add(error, "Codice", e.code());
                    SdiXml.add(error, "Descrizione", e.description());
                }
            }
            case MC -> {
                SdiXml.add(root, "DataOraRicezione", receivedAt);
                if (description != null) {
                    SdiXml.add(root, "Descrizione", description);
                }
            }
            case NE -> {
                Element outcome = SdiXml.add(root, "EsitoCommittente", null); // a local element: unqualified
                outcome.setAttribute("versione", "1.0");
                SdiXml.add(outcome, "IdentificativoSdI", identificativoSdI);
                SdiXml.add(outcome, "Esito", esito);
                if (description != null) {
                    SdiXml.add(outcome, "Descrizione", description);
                }
            }
            case AT -> {
                SdiXml.add(root, "DataOraRicezione", receivedAt);
                destination(root, recipientCode, recipientName);
            }
            case DT -> {
                SdiXml.add(root, "NomeFile", invoiceFileName);
                if (description != null) {
                    SdiXml.add(root, "Descrizione", description);
                }
            }
        }
        SdiXml.add(root, "MessageId", messageId);
        if (note != null) {
            SdiXml.add(root, "Note", note);
        }
        if (type == Type.AT) {
            SdiXml.add(root, "HashFileOriginale", hashOfOriginal);
        }
        return SdiXml.write(doc);
    }

    private static void destination(Element root, String code, String name) {
        Element destination = SdiXml.add(root, "Destinatario", null);
        SdiXml.add(destination, "Codice", code);
        SdiXml.add(destination, "Descrizione", name);
    }
}
