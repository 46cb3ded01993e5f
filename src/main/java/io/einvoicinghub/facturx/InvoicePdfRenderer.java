package io.einvoicinghub.facturx;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A simple, readable A4 rendering of a CII invoice (number, dates, parties, lines, VAT breakdown, totals) drawn
 * with PDFBox in Source Sans Pro, embedded (the font file ships in Mustang's library). Mustang turns it into a
 * PDF/A-3 when it embeds the XML. Mustang's own visualizer is not used: it needs ph-commons 11 at run time
 * (decision 0014).
 */
final class InvoicePdfRenderer {

    private static final String FONT = "/fonts/SourceSansPro-Regular.ttf";
    private static final String BOLD_FONT = "/fonts/SourceSansPro-Bold.ttf";
    private static final Map<String, String> NAMESPACES = Map.of(
            "rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
            "ram", "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
            "udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");
    private static final String SETTLEMENT = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement";
    private static final String AGREEMENT = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement";
    private static final float MARGIN = 50;
    private static final float LINE = 14;

    private final Document cii;
    private final XPath xpath;

    private PDDocument pdf;
    private PDType0Font regular;
    private PDType0Font bold;
    private PDPageContentStream page;
    private float y;

    InvoicePdfRenderer(byte[] ciiBytes) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            this.cii = factory.newDocumentBuilder().parse(new ByteArrayInputStream(ciiBytes));
        } catch (Exception e) {
            throw new IOException("The document to embed is not readable XML: " + e.getMessage(), e);
        }
        this.xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return NAMESPACES.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String uri) {
                return null;
            }
        });
        if (text("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode").isEmpty()) {
            throw new IOException("The document to embed is not a CII invoice (no rsm:CrossIndustryInvoice/rsm:ExchangedDocument)");
        }
    }

    byte[] render() throws IOException {
        try (PDDocument document = new PDDocument()) {
            pdf = document;
            regular = load(FONT);
            bold = load(BOLD_FONT);
            newPage();
            String currency = text(SETTLEMENT + "/ram:InvoiceCurrencyCode");
            String typeCode = text("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode");
            write(bold, 18, ("381".equals(typeCode) ? "Credit note " : "Invoice ")
                    + text("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"));
            y -= 6;
            field("Issue date", date("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"));
            field("Due date", date(SETTLEMENT + "/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"));
            field("Buyer reference", text(AGREEMENT + "/ram:BuyerReference"));
            field("Currency", currency);
            y -= 8;
            party("Seller", AGREEMENT + "/ram:SellerTradeParty");
            party("Buyer", AGREEMENT + "/ram:BuyerTradeParty");
            y -= 8;
            write(bold, 11, "Lines");
            for (Node line : nodes("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem")) {
                String id = text(line, "ram:AssociatedDocumentLineDocument/ram:LineID");
                String name = text(line, "ram:SpecifiedTradeProduct/ram:Name");
                String quantity = text(line, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity") + " "
                        + attribute(line, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode");
                String amount = text(line, "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount");
                write(regular, 10, id + "  " + name + "  —  " + quantity + "  —  " + amount + " " + currency);
            }
            y -= 8;
            write(bold, 11, "VAT");
            for (Node tax : nodes(SETTLEMENT + "/ram:ApplicableTradeTax")) {
                write(regular, 10, text(tax, "ram:CategoryCode") + " " + text(tax, "ram:RateApplicablePercent") + " %  on  "
                        + text(tax, "ram:BasisAmount") + "  =  " + text(tax, "ram:CalculatedAmount") + " " + currency);
            }
            y -= 8;
            String totals = SETTLEMENT + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation/";
            field("Sum of lines", money(totals + "ram:LineTotalAmount", currency));
            field("Total without VAT", money(totals + "ram:TaxBasisTotalAmount", currency));
            field("VAT", money(totals + "ram:TaxTotalAmount[@currencyID='" + currency + "']", currency));
            field("Total with VAT", money(totals + "ram:GrandTotalAmount", currency));
            field("Prepaid", money(totals + "ram:TotalPrepaidAmount", currency));
            field("Amount due", money(totals + "ram:DuePayableAmount", currency));
            for (Node note : nodes("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote/ram:Content")) {
                write(regular, 9, note.getTextContent().strip());
            }
            page.close();
            document.getDocumentInformation().setTitle("Invoice " + text("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private PDType0Font load(String resource) throws IOException {
        try (InputStream font = InvoicePdfRenderer.class.getResourceAsStream(resource)) {
            if (font == null) {
                throw new IOException("Font " + resource + " is not on the classpath (it comes with Mustang's library)");
            }
            return PDType0Font.load(pdf, font, true);
        }
    }

    private void newPage() throws IOException {
        if (page != null) {
            page.close();
        }
        PDPage next = new PDPage(PDRectangle.A4);
        pdf.addPage(next);
        page = new PDPageContentStream(pdf, next);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private void party(String label, String path) throws IOException {
        write(bold, 11, label);
        write(regular, 10, text(path + "/ram:Name"));
        String address = String.join(", ", nonEmpty(text(path + "/ram:PostalTradeAddress/ram:LineOne"),
                text(path + "/ram:PostalTradeAddress/ram:PostcodeCode") + " " + text(path + "/ram:PostalTradeAddress/ram:CityName"),
                text(path + "/ram:PostalTradeAddress/ram:CountryID")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        if (!address.isEmpty()) {
            write(regular, 10, address);
        }
        String vat = text(path + "/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']");
        if (!vat.isEmpty()) {
            write(regular, 10, "VAT id " + vat);
        }
    }

    private void field(String label, String value) throws IOException {
        if (!value.isBlank()) {
            write(regular, 10, label + ": " + value);
        }
    }

    private void write(PDType0Font font, float size, String text) throws IOException {
        for (String piece : wrap(font, size, text.replaceAll("[\\r\\n\\t]+", " "))) {
            if (y < MARGIN + LINE) {
                newPage();
            }
            page.beginText();
            page.setFont(font, size);
            page.newLineAtOffset(MARGIN, y);
            page.showText(piece);
            page.endText();
            y -= Math.max(LINE, size + 4);
        }
    }

    private static List<String> wrap(PDType0Font font, float size, String text) throws IOException {
        float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (!current.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
                lines.add(current.toString());
                current = new StringBuilder(word);
            } else {
                current = new StringBuilder(candidate);
            }
        }
        lines.add(current.toString());
        return lines;
    }

    private static List<String> nonEmpty(String... values) {
        return List.of(values);
    }

    private String money(String path, String currency) {
        String amount = text(path);
        return amount.isEmpty() ? "" : amount + " " + currency;
    }

    private String date(String path) {
        String d = text(path);
        return d.length() == 8 ? d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6) : d;
    }

    private String text(String path) {
        return text(cii, path);
    }

    private String text(Node context, String path) {
        try {
            return ((String) xpath.evaluate("string((" + path + ")[1])", context, XPathConstants.STRING)).strip();
        } catch (XPathExpressionException e) {
            throw new IllegalStateException(path, e);
        }
    }

    private String attribute(Node context, String path) {
        return text(context, path);
    }

    private List<Node> nodes(String path) {
        try {
            NodeList list = (NodeList) xpath.evaluate(path, cii, XPathConstants.NODESET);
            List<Node> result = new ArrayList<>(list.getLength());
            for (int i = 0; i < list.getLength(); i++) {
                result.add(list.item(i));
            }
            return result;
        } catch (XPathExpressionException e) {
            throw new IllegalStateException(path, e);
        }
    }
}
