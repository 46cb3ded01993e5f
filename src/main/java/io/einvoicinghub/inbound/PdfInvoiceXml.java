package io.einvoicinghub.inbound;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.common.PDNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the invoice XML embedded in a Factur-X / ZUGFeRD / XRechnung hybrid PDF with PDFBox (which Mustang brings;
 * Mustang's own importer is not used because it needs the ph-commons 11 line, decision 0014). The files are taken
 * from the document's associated files ({@code /AF}) and the {@code EmbeddedFiles} name tree; the invoice is the
 * file named as the specifications name it ({@code factur-x.xml}, {@code zugferd-invoice.xml} (ZUGFeRD 2.x),
 * {@code ZUGFeRD-invoice.xml} (1.x), {@code xrechnung.xml}), else the only XML file whose {@code AFRelationship} is
 * Data, Source or Alternative. An embedded stream is read up to a limit: its compressed size says nothing about
 * what it inflates to.
 */
public final class PdfInvoiceXml {

    static final Set<String> INVOICE_NAMES = Set.of("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml");
    private static final Set<String> INVOICE_RELATIONSHIPS = Set.of("Data", "Source", "Alternative");

    /** An embedded invoice file, or why there is none. */
    public record Extraction(byte[] xml, String fileName, String relationship, List<String> embeddedFiles, String problem) {
        public boolean found() {
            return xml != null;
        }
    }

    private PdfInvoiceXml() {
    }

    public static Extraction extract(byte[] pdf, long maxXmlBytes) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            Map<String, PDComplexFileSpecification> files = embeddedFiles(document);
            List<String> names = new ArrayList<>(files.keySet());
            Optional<Map.Entry<String, PDComplexFileSpecification>> chosen = files.entrySet().stream()
                    .filter(e -> INVOICE_NAMES.contains(e.getKey().toLowerCase(Locale.ROOT))).findFirst();
            if (chosen.isEmpty()) {
                List<Map.Entry<String, PDComplexFileSpecification>> xmlData = files.entrySet().stream()
                        .filter(e -> e.getKey().toLowerCase(Locale.ROOT).endsWith(".xml"))
                        .filter(e -> INVOICE_RELATIONSHIPS.contains(relationship(e.getValue()))).toList();
                if (xmlData.size() == 1) {
                    chosen = Optional.of(xmlData.get(0));
                }
            }
            if (chosen.isEmpty()) {
                return new Extraction(null, null, null, names, names.isEmpty()
                        ? "the PDF has no embedded files, so it carries no Factur-X/ZUGFeRD/XRechnung XML"
                        : "none of the PDF's embedded files " + names + " is a Factur-X/ZUGFeRD/XRechnung invoice XML");
            }
            PDComplexFileSpecification spec = chosen.get().getValue();
            PDEmbeddedFile file = embeddedFile(spec);
            if (file == null) {
                return new Extraction(null, chosen.get().getKey(), relationship(spec), names,
                        "the PDF names " + chosen.get().getKey() + " but holds no data stream for it");
            }
            byte[] xml;
            try (InputStream in = file.createInputStream()) {
                xml = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxXmlBytes + 1));
            }
            if (xml.length > maxXmlBytes) {
                return new Extraction(null, chosen.get().getKey(), relationship(spec), names, "the embedded "
                        + chosen.get().getKey() + " inflates to more than " + maxXmlBytes + " bytes (hub.inbound.max-file-bytes)");
            }
            return new Extraction(xml, chosen.get().getKey(), relationship(spec), names, null);
        } catch (InvalidPasswordException e) {
            return new Extraction(null, null, null, List.of(), "the PDF is encrypted; its embedded files cannot be read");
        } catch (IOException | RuntimeException e) {
            return new Extraction(null, null, null, List.of(), "the PDF cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Associated files (/AF, PDF/A-3) first, then the EmbeddedFiles name tree; by file name, first seen wins. */
    private static Map<String, PDComplexFileSpecification> embeddedFiles(PDDocument document) throws IOException {
        Map<String, PDComplexFileSpecification> files = new LinkedHashMap<>();
        COSBase af = document.getDocumentCatalog().getCOSObject().getDictionaryObject(COSName.AF);
        if (af instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSDictionary dictionary) {
                    PDComplexFileSpecification spec = new PDComplexFileSpecification(dictionary);
                    files.putIfAbsent(name(spec, "AF[" + i + "]"), spec);
                }
            }
        }
        PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
        if (names != null && names.getEmbeddedFiles() != null) {
            collect(names.getEmbeddedFiles(), files, 0);
        }
        return files;
    }

    private static void collect(PDNameTreeNode<PDComplexFileSpecification> node, Map<String, PDComplexFileSpecification> files, int depth)
            throws IOException {
        if (depth > 20) {
            return; // a name tree that deep is malformed (or made to loop)
        }
        Map<String, PDComplexFileSpecification> here = node.getNames();
        if (here != null) {
            here.forEach((key, spec) -> files.putIfAbsent(name(spec, key), spec));
        }
        if (node.getKids() != null) {
            for (PDNameTreeNode<PDComplexFileSpecification> kid : node.getKids()) {
                collect(kid, files, depth + 1);
            }
        }
    }

    private static String name(PDComplexFileSpecification spec, String fallback) {
        String name = spec.getFileUnicode() != null ? spec.getFileUnicode() : spec.getFilename();
        return name == null || name.isBlank() ? fallback : name;
    }

    private static String relationship(PDComplexFileSpecification spec) {
        return spec.getCOSObject().getNameAsString(COSName.getPDFName("AFRelationship"));
    }

    private static PDEmbeddedFile embeddedFile(PDComplexFileSpecification spec) {
        for (PDEmbeddedFile file : new PDEmbeddedFile[]{spec.getEmbeddedFileUnicode(), spec.getEmbeddedFile(),
                spec.getEmbeddedFileDos(), spec.getEmbeddedFileMac(), spec.getEmbeddedFileUnix()}) {
            if (file != null) {
                return file;
            }
        }
        return null;
    }
}
