package io.einvoicinghub.facturx;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ERP's own PDF as the visible part: found by its marker, and refused with the reason when it cannot become PDF/A-3. */
class ErpVisualTest {

    static ObjectNode submission(byte[]... pdfs) {
        ObjectNode root = JsonNodeFactory.instance.objectNode(); // the unified JSON document, as the hub stores it
        ArrayNode docs = root.putArray("supportingDocuments");
        docs.addObject().put("id", "TS-1").putObject("attachment").put("content", "YQ==").put("mimeCode", "text/csv").put("filename", "a.csv");
        int i = 0;
        for (byte[] pdf : pdfs) {
            docs.addObject().put("id", "PDF-" + ++i).putObject("attachment").put("content", Base64.getEncoder().encodeToString(pdf))
                    .put("mimeCode", "application/pdf").put("filename", "erp-" + i + ".pdf").put("visualRepresentation", true);
        }
        return root;
    }

    @Test
    void theMarkedPdfIsFoundAndAcceptedWhenItsFontsAreEmbedded() throws Exception {
        byte[] pdf = ErpPdfs.withEmbeddedFont("Invoice 42");
        ErpVisual visual = ErpVisual.find(submission(pdf)).orElseThrow();
        assertThat(visual.filename()).isEqualTo("erp-1.pdf");
        assertThat(visual.supportingDocumentId()).isEqualTo("PDF-1");
        assertThat(visual.pdf()).isEqualTo(pdf);
        visual.requireConvertible();
        assertThat(ErpVisual.find(submission())).isEmpty();
    }

    @Test
    void twoMarkedAttachmentsOrANonPdfAreRefused() throws Exception {
        byte[] pdf = ErpPdfs.withEmbeddedFont("Invoice 42");
        assertThatThrownBy(() -> ErpVisual.find(submission(pdf, pdf))).isInstanceOf(ErpVisual.NotConvertible.class)
                .hasMessageContaining("More than one attachment is marked visualRepresentation");
        ObjectNode csv = submission();
        ((ObjectNode) csv.path("supportingDocuments").get(0).get("attachment")).put("visualRepresentation", true);
        assertThatThrownBy(() -> ErpVisual.find(csv)).hasMessageContaining("text/csv, not application/pdf");
    }

    @Test
    void anEncryptedOrBrokenPdfIsRefusedWithTheReason() throws Exception {
        byte[] plain = ErpPdfs.withEmbeddedFont("Invoice 42");
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        try (PDDocument document = Loader.loadPDF(plain)) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            document.save(encrypted);
        }
        assertThatThrownBy(() -> ErpVisual.find(submission(encrypted.toByteArray())).orElseThrow().requireConvertible())
                .hasMessageContaining("cannot be made PDF/A-3: it is encrypted");
        assertThatThrownBy(() -> ErpVisual.find(submission("not a pdf".getBytes())).orElseThrow().requireConvertible())
                .hasMessageContaining("cannot be made PDF/A-3: it is not a readable PDF");
    }
}
