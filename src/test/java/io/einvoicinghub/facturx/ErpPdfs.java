package io.einvoicinghub.facturx;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;

/** PDFs as an ERP would print an invoice, made by the test: one A4 page of text lines in an embedded TrueType font. */
final class ErpPdfs {

    private ErpPdfs() {
    }

    static byte[] withEmbeddedFont(String... lines) throws Exception {
        try (PDDocument document = new PDDocument(); InputStream ttf = ErpPdfs.class.getResourceAsStream("/fonts/SourceSansPro-Regular.ttf")) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType0Font font = PDType0Font.load(document, ttf, true);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(font, 14);
                content.newLineAtOffset(60, 760);
                for (String line : lines) {
                    content.showText(line);
                    content.newLineAtOffset(0, -22);
                }
                content.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
