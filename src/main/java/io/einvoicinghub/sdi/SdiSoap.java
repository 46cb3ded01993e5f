package io.einvoicinghub.sdi;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.Base64;
import java.util.Optional;

/**
 * The SOAP 1.1 document/literal messages of SDI's web services (vendored WSDLs in {@code src/main/resources/sdi/wsdl}):
 * {@code SdIRiceviFile.RiceviFile} (request {@code fileSdIAccoglienza}, answer {@code rispostaSdIRiceviFile}) and the
 * one-way operations of {@code TrasmissioneFatture} ({@code ricevutaConsegna}, {@code notificaScarto}, ... each a
 * {@code fileSdI_Type}: IdentificativoSdI, NomeFile, File). Child elements are unqualified, as the types XSDs declare.
 */
public final class SdiSoap {

    public static final String ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String TYPES_NS = "http://www.fatturapa.gov.it/sdi/ws/trasmissione/v1.0/types";
    public static final String RICEVI_FILE_ACTION = "http://www.fatturapa.it/SdIRiceviFile/RiceviFile";
    public static final String CONTENT_TYPE = "text/xml; charset=utf-8";

    private SdiSoap() {
    }

    /** What the transmitter sends to SdIRiceviFile. */
    public record FileSubmission(String fileName, byte[] file) {
    }

    /** SdIRiceviFile's answer: an identifier and the time of receipt, or an error code EI01/EI02/EI03. */
    public record ReceiptAnswer(String identificativoSdI, String dataOraRicezione, String errore) {
        public boolean accepted() {
            return errore == null;
        }

        public String errorDescription() {
            return switch (errore == null ? "" : errore) {
                case "EI01" -> "EI01 file vuoto (the attached file is empty)";
                case "EI02" -> "EI02 servizio non disponibile (SDI's service is unavailable for now)";
                case "EI03" -> "EI03 utente non abilitato (the transmitter is not enabled on SDI)";
                default -> errore;
            };
        }
    }

    /** A TrasmissioneFatture operation's input: the message file SDI sends about invoice file {@code identificativoSdI}. */
    public record MessageDelivery(String operation, String identificativoSdI, String fileName, byte[] file) {
    }

    /** The TrasmissioneFatture operations, their body elements and SOAP actions (TrasmissioneFatture_v1.1.wsdl). */
    public enum Operation {
        RicevutaConsegna("ricevutaConsegna", "RC"),
        NotificaMancataConsegna("notificaMancataConsegna", "MC"),
        NotificaScarto("notificaScarto", "NS"),
        NotificaEsito("notificaEsito", "NE"),
        NotificaDecorrenzaTermini("notificaDecorrenzaTermini", "DT"),
        AttestazioneTrasmissioneFattura("attestazioneTrasmissioneFattura", "AT");

        public final String element;
        public final String messageType;

        Operation(String element, String messageType) {
            this.element = element;
            this.messageType = messageType;
        }

        public String soapAction() {
            return "http://www.fatturapa.it/TrasmissioneFatture/" + name();
        }

        public static Optional<Operation> ofElement(String localName) {
            for (Operation o : values()) {
                if (o.element.equals(localName)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }

        public static Operation ofMessageType(String type) {
            for (Operation o : values()) {
                if (o.messageType.equals(type)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("no TrasmissioneFatture operation carries message type " + type);
        }
    }

    public static byte[] riceviFileRequest(FileSubmission submission) {
        Document doc = envelope();
        Element body = body(doc);
        Element request = doc.createElementNS(TYPES_NS, "typ:fileSdIAccoglienza");
        body.appendChild(request);
        SdiXml.add(request, "NomeFile", submission.fileName());
        SdiXml.add(request, "File", Base64.getEncoder().encodeToString(submission.file()));
        return SdiXml.write(doc);
    }

    public static FileSubmission parseRiceviFileRequest(byte[] envelope) throws SdiXml.SdiMessageException {
        Element request = payload(envelope, "fileSdIAccoglienza");
        String name = SdiXml.text(request, "NomeFile").orElseThrow(() -> new SdiXml.SdiMessageException("NomeFile missing"));
        String file = SdiXml.text(request, "File").orElseThrow(() -> new SdiXml.SdiMessageException("File missing"));
        return new FileSubmission(name, decode(file));
    }

    public static byte[] riceviFileAnswer(ReceiptAnswer answer) {
        Document doc = envelope();
        Element body = body(doc);
        Element response = doc.createElementNS(TYPES_NS, "typ:rispostaSdIRiceviFile");
        body.appendChild(response);
        SdiXml.add(response, "IdentificativoSdI", answer.identificativoSdI());
        SdiXml.add(response, "DataOraRicezione", answer.dataOraRicezione());
        if (answer.errore() != null) {
            SdiXml.add(response, "Errore", answer.errore());
        }
        return SdiXml.write(doc);
    }

    public static ReceiptAnswer parseRiceviFileAnswer(byte[] envelope) throws SdiXml.SdiMessageException {
        Element response = payload(envelope, "rispostaSdIRiceviFile");
        return new ReceiptAnswer(SdiXml.text(response, "IdentificativoSdI").orElse(null),
                SdiXml.text(response, "DataOraRicezione").orElse(null), SdiXml.text(response, "Errore").orElse(null));
    }

    public static byte[] messageDelivery(MessageDelivery delivery) {
        Operation operation = Operation.valueOf(delivery.operation());
        Document doc = envelope();
        Element body = body(doc);
        Element message = doc.createElementNS(TYPES_NS, "typ:" + operation.element);
        body.appendChild(message);
        SdiXml.add(message, "IdentificativoSdI", delivery.identificativoSdI());
        SdiXml.add(message, "NomeFile", delivery.fileName());
        SdiXml.add(message, "File", Base64.getEncoder().encodeToString(delivery.file()));
        return SdiXml.write(doc);
    }

    public static MessageDelivery parseMessageDelivery(byte[] envelope) throws SdiXml.SdiMessageException {
        Element body = body(envelope);
        Element message = SdiXml.children(body).stream().findFirst()
                .orElseThrow(() -> new SdiXml.SdiMessageException("the SOAP body is empty"));
        if (!TYPES_NS.equals(message.getNamespaceURI())) {
            throw new SdiXml.SdiMessageException("body element {" + message.getNamespaceURI() + "}" + message.getLocalName()
                    + " is not a TrasmissioneFatture message");
        }
        Operation operation = Operation.ofElement(message.getLocalName()).orElseThrow(() ->
                new SdiXml.SdiMessageException("unknown TrasmissioneFatture operation " + message.getLocalName()));
        String id = SdiXml.text(message, "IdentificativoSdI").orElseThrow(() -> new SdiXml.SdiMessageException("IdentificativoSdI missing"));
        String name = SdiXml.text(message, "NomeFile").orElseThrow(() -> new SdiXml.SdiMessageException("NomeFile missing"));
        String file = SdiXml.text(message, "File").orElseThrow(() -> new SdiXml.SdiMessageException("File missing"));
        return new MessageDelivery(operation.name(), id, name, decode(file));
    }

    /** A SOAP 1.1 fault, for requests that are not SDI messages at all. */
    public static byte[] fault(String code, String reason) {
        Document doc = envelope();
        Element fault = doc.createElementNS(ENVELOPE_NS, "soapenv:Fault");
        body(doc).appendChild(fault);
        SdiXml.add(fault, "faultcode", "soapenv:" + code);
        SdiXml.add(fault, "faultstring", reason);
        return SdiXml.write(doc);
    }

    private static byte[] decode(String base64) throws SdiXml.SdiMessageException {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SdiXml.SdiMessageException("File is not base64: " + e.getMessage());
        }
    }

    private static Document envelope() {
        Document doc = SdiXml.newDocument();
        Element envelope = doc.createElementNS(ENVELOPE_NS, "soapenv:Envelope");
        envelope.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:typ", TYPES_NS);
        doc.appendChild(envelope);
        envelope.appendChild(doc.createElementNS(ENVELOPE_NS, "soapenv:Header"));
        envelope.appendChild(doc.createElementNS(ENVELOPE_NS, "soapenv:Body"));
        return doc;
    }

    private static Element body(Document doc) {
        return (Element) doc.getDocumentElement().getElementsByTagNameNS(ENVELOPE_NS, "Body").item(0);
    }

    private static Element body(byte[] envelope) throws SdiXml.SdiMessageException {
        Element root = SdiXml.parse(envelope).getDocumentElement();
        if (!ENVELOPE_NS.equals(root.getNamespaceURI()) || !"Envelope".equals(root.getLocalName())) {
            throw new SdiXml.SdiMessageException("not a SOAP 1.1 envelope");
        }
        return SdiXml.children(root).stream().filter(e -> "Body".equals(e.getLocalName()) && ENVELOPE_NS.equals(e.getNamespaceURI()))
                .findFirst().orElseThrow(() -> new SdiXml.SdiMessageException("the SOAP envelope has no Body"));
    }

    private static Element payload(byte[] envelope, String localName) throws SdiXml.SdiMessageException {
        Element body = body(envelope);
        Element first = SdiXml.children(body).stream().findFirst()
                .orElseThrow(() -> new SdiXml.SdiMessageException("the SOAP body is empty"));
        if ("Fault".equals(first.getLocalName())) {
            throw new SdiXml.SdiMessageException("SOAP fault: " + SdiXml.text(first, "faultstring").orElse("(no reason)"));
        }
        if (!TYPES_NS.equals(first.getNamespaceURI()) || !localName.equals(first.getLocalName())) {
            throw new SdiXml.SdiMessageException("expected " + localName + ", got " + first.getLocalName());
        }
        return first;
    }
}
