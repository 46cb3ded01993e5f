package io.einvoicinghub.facturx;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ERP's own PDF as the visible part of a hybrid invoice: the attachment of a supporting document (BG-24) of the
 * unified JSON marked {@code "visualRepresentation": true}. Before Mustang makes it PDF/A-3, it is checked for what
 * no conversion can repair: a PDF that does not open, is encrypted, has no page, or uses fonts it does not embed
 * (PDF/A requires every font program inside the file) is refused with the reason. What is left (XMP, output
 * intent, PDF/A identification) Mustang adds; the validate-pdf step then proves the result with veraPDF.
 */
public record ErpVisual(String supportingDocumentId, String filename, byte[] pdf) {

    /** Why the ERP's PDF cannot be the visible part of a PDF/A-3. */
    public static final class NotConvertible extends Exception {
        NotConvertible(String message) {
            super(message);
        }
    }

    /**
     * The marked attachment of the unified JSON {@code document} (as the hub stores it), if any.
     *
     * @throws NotConvertible when more than one attachment is marked, or the marked one is not a PDF with content
     */
    public static Optional<ErpVisual> find(JsonNode document) throws NotConvertible {
        List<ErpVisual> marked = new ArrayList<>();
        for (JsonNode doc : document.path("supportingDocuments")) {
            JsonNode attachment = doc.path("attachment");
            if (!attachment.path("visualRepresentation").asBoolean(false)) {
                continue;
            }
            String id = doc.path("id").asText();
            String filename = attachment.path("filename").asText(id + ".pdf");
            if (!"application/pdf".equalsIgnoreCase(attachment.path("mimeCode").asText())) {
                throw new NotConvertible("Supporting document '" + id + "' is marked visualRepresentation but its attachment is "
                        + attachment.path("mimeCode").asText("without mimeCode") + ", not application/pdf");
            }
            byte[] pdf;
            try {
                pdf = Base64.getMimeDecoder().decode(attachment.path("content").asText());
            } catch (IllegalArgumentException e) {
                throw new NotConvertible("The visual representation '" + filename + "' is not valid base64");
            }
            if (pdf.length == 0) {
                throw new NotConvertible("The visual representation '" + filename + "' has no content (an external URI cannot be the visual)");
            }
            marked.add(new ErpVisual(id, filename, pdf));
        }
        if (marked.size() > 1) {
            throw new NotConvertible("More than one attachment is marked visualRepresentation ("
                    + marked.stream().map(ErpVisual::filename).toList() + "): a hybrid invoice has one visible part");
        }
        return marked.stream().findFirst();
    }

    /** @throws NotConvertible when the PDF cannot become a PDF/A-3 (the message says why and what to change) */
    public void requireConvertible() throws NotConvertible {
        String prefix = "The ERP's PDF '" + filename + "' (supporting document '" + supportingDocumentId + "') cannot be made PDF/A-3: ";
        try (PDDocument document = Loader.loadPDF(pdf)) {
            if (document.isEncrypted()) {
                throw new NotConvertible(prefix + "it is encrypted; send it without a password or permissions");
            }
            if (document.getNumberOfPages() == 0) {
                throw new NotConvertible(prefix + "it has no page");
            }
            Set<String> notEmbedded = new LinkedHashSet<>();
            for (PDPage page : document.getPages()) {
                fonts(page.getResources(), notEmbedded, 0);
            }
            if (!notEmbedded.isEmpty()) {
                throw new NotConvertible(prefix + "fonts " + notEmbedded + " are not embedded (PDF/A needs every font inside the "
                        + "file): have the ERP embed its fonts, or send no visual and let the hub render the invoice");
            }
        } catch (org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException e) {
            throw new NotConvertible(prefix + "it is encrypted; send it without a password");
        } catch (IOException e) {
            throw new NotConvertible(prefix + "it is not a readable PDF (" + e.getMessage() + ")");
        }
    }

    private static void fonts(PDResources resources, Set<String> notEmbedded, int depth) throws IOException {
        if (resources == null || depth > 8) {
            return;
        }
        for (COSName name : resources.getFontNames()) {
            PDFont font = resources.getFont(name);
            if (font != null && !font.isEmbedded()) {
                notEmbedded.add(font.getName());
            }
        }
        for (COSName name : resources.getXObjectNames()) {
            PDXObject object = resources.getXObject(name);
            if (object instanceof PDFormXObject form) {
                fonts(form.getResources(), notEmbedded, depth + 1);
            }
        }
    }
}
