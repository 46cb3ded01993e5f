package io.einvoicinghub.inbound;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.validation.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The identifiers of a FatturaPA, CFDI 4.0 or KSeF FA(3) invoice that the receipt records (seller, number, issue date, the
 * authority's id) and the buyer's tax id for legal-entity routing, read from the header without converting the
 * invoice. FatturaPA: seller {@code CedentePrestatore/DatiAnagrafici/IdFiscaleIVA} (IdPaese + IdCodice), buyer
 * {@code CessionarioCommittente} (IdFiscaleIVA, else CodiceFiscale), number and date from the first body's
 * {@code DatiGeneraliDocumento} (a file may hold a batch of bodies). CFDI: {@code Emisor/@Rfc},
 * {@code Receptor/@Rfc}, {@code Serie} + {@code Folio}, {@code Fecha}, and the SAT stamp's
 * {@code TimbreFiscalDigital/@UUID}.
 *
 * @param sellerId        {@code VAT:IT…} or {@code RFC:…}, the form {@link InboundIntake#sellerId} gives
 * @param buyerTaxId      as routed: matched against {@code hub.inbound.legal-entities[].vat-ids}
 * @param authorityId     CFDI: the stamp UUID (folio fiscal); FatturaPA: null (SDI's identifier travels outside)
 * @param bodies          FatturaPA: how many invoices the file holds
 */
public record NationalInvoiceHeader(String sellerId, String invoiceNumber, String issueDate, String buyerTaxId,
                                    String authorityId, int bodies) {

    public static NationalInvoiceHeader read(InboundFormat format, byte[] xml) throws SecureXml.UnsafeOrMalformedXmlException {
        Document doc = SecureXml.parse(xml);
        Element root = doc.getDocumentElement();
        return switch (format) {
            case FATTURAPA -> fatturaPa(root);
            case CFDI_40 -> cfdi(doc, root);
            case KSEF_FA3 -> fa3(root);
            default -> throw new IllegalArgumentException(format + " has no national header");
        };
    }

    /** The buyer as the router reads it: {@code {"buyer": {"vatId": …}}}. */
    public ObjectNode routingDocument() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        if (buyerTaxId != null) {
            document.putObject("buyer").put("vatId", buyerTaxId);
        }
        return document;
    }

    private static NationalInvoiceHeader fatturaPa(Element root) {
        Element header = child(root, "FatturaElettronicaHeader");
        Element seller = path(header, "CedentePrestatore", "DatiAnagrafici");
        Element buyer = path(header, "CessionarioCommittente", "DatiAnagrafici");
        String sellerVat = italianVat(child(seller, "IdFiscaleIVA"));
        String buyerVat = italianVat(child(buyer, "IdFiscaleIVA"));
        if (buyerVat == null) {
            buyerVat = text(child(buyer, "CodiceFiscale"));
        }
        int bodies = 0;
        Element first = null;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "FatturaElettronicaBody".equals(e.getLocalName())) {
                bodies++;
                first = first == null ? e : first;
            }
        }
        Element general = path(first, "DatiGenerali", "DatiGeneraliDocumento");
        return new NationalInvoiceHeader(sellerVat == null ? null : "VAT:" + LegalEntityRouter.normal(sellerVat),
                text(child(general, "Numero")), text(child(general, "Data")), buyerVat, null, bodies);
    }

    private static NationalInvoiceHeader cfdi(Document doc, Element root) {
        Element emisor = child(root, "Emisor");
        Element receptor = child(root, "Receptor");
        String rfc = attribute(emisor, "Rfc");
        String serie = attribute(root, "Serie");
        String folio = attribute(root, "Folio");
        String number = folio == null ? serie : serie == null ? folio : serie + "-" + folio;
        String fecha = attribute(root, "Fecha");
        var stamps = doc.getElementsByTagNameNS(FormatDetector.TFD_NS, "TimbreFiscalDigital");
        String uuid = stamps.getLength() == 0 ? null : attribute((Element) stamps.item(0), "UUID");
        return new NationalInvoiceHeader(rfc == null ? null : "RFC:" + LegalEntityRouter.normal(rfc), number,
                fecha == null || fecha.length() < 10 ? fecha : fecha.substring(0, 10), attribute(receptor, "Rfc"), uuid, 1);
    }

    /** FA(3): seller Podmiot1 NIP (as {@code VAT:PL…}), buyer Podmiot2 NIP (as {@code PL…}) or its EU VAT id. */
    private static NationalInvoiceHeader fa3(Element root) {
        String sellerNip = text(path(root, "Podmiot1", "DaneIdentyfikacyjne", "NIP"));
        Element buyer = path(root, "Podmiot2", "DaneIdentyfikacyjne");
        String buyerNip = text(child(buyer, "NIP"));
        String buyerVat = buyerNip != null ? "PL" + buyerNip
                : text(child(buyer, "NrVatUE")) == null ? null : text(child(buyer, "KodUE")) + text(child(buyer, "NrVatUE"));
        Element fa = child(root, "Fa");
        return new NationalInvoiceHeader(sellerNip == null ? null : "VAT:PL" + sellerNip, text(child(fa, "P_2")),
                text(child(fa, "P_1")), buyerVat, null, 1);
    }

    private static String italianVat(Element idFiscale) {
        String country = text(child(idFiscale, "IdPaese"));
        String code = text(child(idFiscale, "IdCodice"));
        return code == null ? null : (country == null ? "" : country) + code;
    }

    private static Element path(Element from, String... names) {
        Element e = from;
        for (String name : names) {
            e = child(e, name);
        }
        return e;
    }

    /** FatturaPA's children are unqualified, CFDI's are in the CFDI namespace: match the local name only. */
    private static Element child(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        String t = e == null ? null : e.getTextContent().strip();
        return t == null || t.isEmpty() ? null : t;
    }

    private static String attribute(Element e, String name) {
        String a = e == null ? null : e.getAttribute(name).strip();
        return a == null || a.isEmpty() ? null : a;
    }
}
