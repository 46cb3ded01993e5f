package io.einvoicinghub.inbound;

import io.einvoicinghub.reader.InvoiceSyntax;
import io.einvoicinghub.validation.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.nio.charset.StandardCharsets;

/**
 * Tells what a received file is, from its content only (never its name): a signed envelope is opened first, a PDF
 * is recognised by its header, XML by its root element and the identifier inside that names the specification
 * (UBL {@code cbc:CustomizationID}, CII guideline id, FatturaPA {@code versione}, the CFDI stamp's UUID). XML is
 * parsed by {@link SecureXml}, which refuses DOCTYPEs (XXE, entity expansion).
 */
public class FormatDetector {

    static final String UBL_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    static final String CII_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
    static final String CII_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
    static final String FATTURAPA_NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";
    static final String CFDI4_NS = "http://www.sat.gob.mx/cfd/4";
    static final String TFD_NS = "http://www.sat.gob.mx/TimbreFiscalDigital";

    private final EnvelopeSignatureCheck signatures;
    private final long maxEmbeddedBytes;

    /** Verifies signed envelopes with DSS; reads embedded XML up to {@link InboundProperties#DEFAULT_MAX_FILE_BYTES}. */
    public FormatDetector() {
        this(new EnvelopeSignatureCheck(), InboundProperties.DEFAULT_MAX_FILE_BYTES);
    }

    public FormatDetector(EnvelopeSignatureCheck signatures, long maxEmbeddedBytes) {
        this.signatures = signatures;
        this.maxEmbeddedBytes = maxEmbeddedBytes;
    }

    public DetectedDocument detect(byte[] bytes) {
        return detect(bytes, false);
    }

    private DetectedDocument detect(byte[] bytes, boolean unwrapped) {
        if (bytes.length == 0) {
            return unknown("empty file", bytes);
        }
        if (startsWith(bytes, "%PDF-")) {
            return unwrapped ? unknown("a PDF inside a signed envelope is not read", bytes) : pdf(bytes);
        }
        if (startsWith(bytes, "PK\u0003\u0004") || startsWith(bytes, "PK\u0005\u0006")) {
            return new DetectedDocument(InboundFormat.ZIP_ARCHIVE, null, "zip archive", bytes, DetectedDocument.Container.ARCHIVE,
                    java.util.List.of(), null);
        }
        if (!unwrapped && !looksLikeXml(bytes)) {
            var content = SignedEnvelope.unwrap(bytes);
            if (content.isPresent()) {
                EnvelopeSignatureCheck.Result signature = signatures.check(bytes);
                return detect(content.get(), true).inside(DetectedDocument.Container.SIGNED_ENVELOPE, signature.notes(),
                        signature.failure());
            }
        }
        Document xml;
        try {
            xml = SecureXml.parse(bytes);
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            return unknown(looksLikeXml(bytes) ? e.getMessage() : "neither XML, PDF, zip nor a signed (.p7m) envelope", bytes);
        }
        Element root = xml.getDocumentElement();
        String ns = root.getNamespaceURI() == null ? "" : root.getNamespaceURI();
        String name = root.getLocalName();
        var syntax = InvoiceSyntax.detect(bytes);
        if (syntax.isPresent() && syntax.get().isUbl()) {
            String customization = childText(root, UBL_CBC, "CustomizationID");
            return new DetectedDocument(ublFormat(customization), syntax.get(),
                    customization == null ? "no CustomizationID" : customization, bytes);
        }
        if (syntax.isPresent()) {
            Element context = child(root, CII_RSM, "ExchangedDocumentContext");
            Element guideline = context == null ? null : child(context, CII_RAM, "GuidelineSpecifiedDocumentContextParameter");
            String id = guideline == null ? null : childText(guideline, CII_RAM, "ID");
            return new DetectedDocument(ciiFormat(id), syntax.get(), id == null ? "no guideline id" : id, bytes);
        }
        if (FATTURAPA_NS.equals(ns) && "FatturaElettronica".equals(name)) {
            return new DetectedDocument(InboundFormat.FATTURAPA, null, "versione " + root.getAttribute("versione"), bytes);
        }
        if (io.einvoicinghub.ksef.Fa3SchemaValidator.NAMESPACE.equals(ns) && "Faktura".equals(name)) {
            Element form = child(child(root, ns, "Naglowek"), ns, "KodFormularza");
            return new DetectedDocument(InboundFormat.KSEF_FA3, null, form == null ? "no KodFormularza"
                    : form.getAttribute("kodSystemowy") + " " + form.getAttribute("wersjaSchemy"), bytes);
        }
        if (CFDI4_NS.equals(ns) && "Comprobante".equals(name)) {
            var stamps = xml.getElementsByTagNameNS(TFD_NS, "TimbreFiscalDigital");
            String uuid = stamps.getLength() == 0 ? null : ((Element) stamps.item(0)).getAttribute("UUID");
            return new DetectedDocument(InboundFormat.CFDI_40, null,
                    uuid == null || uuid.isBlank() ? "no TimbreFiscalDigital stamp" : "UUID " + uuid, bytes);
        }
        return unknown("XML root {" + ns + "}" + name + " is no invoice format the hub knows", bytes);
    }

    static InboundFormat ublFormat(String customization) {
        if (customization == null) {
            return InboundFormat.UBL_OTHER;
        }
        String id = customization.strip();
        if (id.contains("urn:fdc:peppol.eu:2017:poacc:billing:3.0")) {
            return InboundFormat.PEPPOL_BIS3_UBL;
        }
        if (id.contains("urn:xeinkauf.de:kosit:xrechnung")) {
            return InboundFormat.XRECHNUNG_UBL;
        }
        return id.startsWith("urn:cen.eu:en16931:2017") ? InboundFormat.EN16931_UBL : InboundFormat.UBL_OTHER;
    }

    static InboundFormat ciiFormat(String guideline) {
        if (guideline == null) {
            return InboundFormat.CII_OTHER;
        }
        String id = guideline.strip();
        if (id.contains("urn:xeinkauf.de:kosit:xrechnung")) {
            return InboundFormat.XRECHNUNG_CII;
        }
        if (id.contains("urn:factur-x.eu:1p0:minimum") || id.contains("urn:zugferd.de:2p0:minimum")) {
            return InboundFormat.FACTURX_MINIMUM_CII;
        }
        if (id.contains("urn:factur-x.eu:1p0:basicwl") || id.contains("urn:zugferd.de:2p0:basicwl")) {
            return InboundFormat.FACTURX_BASIC_WL_CII;
        }
        if (id.contains("urn:factur-x.eu:1p0:basic")) {
            return InboundFormat.FACTURX_BASIC_CII;
        }
        if (id.contains("urn:factur-x.eu:1p0:extended") || id.contains("urn:zugferd.de:2p0:extended")) {
            return InboundFormat.FACTURX_EXTENDED_CII;
        }
        return id.equals("urn:cen.eu:en16931:2017") ? InboundFormat.EN16931_CII : InboundFormat.CII_OTHER;
    }

    private static DetectedDocument unknown(String why, byte[] bytes) {
        return new DetectedDocument(InboundFormat.UNKNOWN, null, why, bytes);
    }

    /** A Factur-X/ZUGFeRD/XRechnung hybrid: the embedded XML is detected as any XML; a PDF without one fails. */
    private DetectedDocument pdf(byte[] bytes) {
        String version = "PDF " + pdfVersion(bytes);
        PdfInvoiceXml.Extraction extraction = PdfInvoiceXml.extract(bytes, maxEmbeddedBytes);
        if (!extraction.found()) {
            return new DetectedDocument(InboundFormat.FACTURX_PDF, null, version, bytes, DetectedDocument.Container.PDF,
                    java.util.List.of(), "PDF without an embedded invoice: " + extraction.problem()
                    + "; send the Factur-X/ZUGFeRD PDF or the XML itself");
        }
        DetectedDocument.Note found = new DetectedDocument.Note("INFO", version + " carries " + extraction.fileName()
                + " (AFRelationship " + extraction.relationship() + ", " + extraction.xml().length + " bytes; embedded files "
                + extraction.embeddedFiles() + ")", null);
        DetectedDocument inner = detect(extraction.xml(), true);
        String failure = inner.format() != InboundFormat.UNKNOWN ? null
                : "The PDF's embedded " + extraction.fileName() + " is no invoice the hub reads: " + inner.detail();
        return inner.inside(DetectedDocument.Container.PDF, java.util.List.of(found), failure);
    }

    private static Element child(Element parent, String ns, String localName) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String childText(Element parent, String ns, String localName) {
        Element e = child(parent, ns, localName);
        return e == null ? null : e.getTextContent();
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (bytes[i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static String pdfVersion(byte[] bytes) {
        int end = 5;
        while (end < Math.min(bytes.length, 12) && bytes[end] > ' ') {
            end++;
        }
        return new String(bytes, 5, end - 5, StandardCharsets.US_ASCII);
    }

    /** First non-blank character '<' (after an optional UTF-8 byte-order mark). */
    private static boolean looksLikeXml(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        return i < bytes.length && bytes[i] == '<';
    }
}
