package io.einvoicinghub.facturx;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.fidelity.FeatureRendering;
import io.einvoicinghub.fidelity.PinnedFeature;
import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.ValidationReport;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Factur-X / ZUGFeRD hybrid PDFs built by the hub with Mustang, beside phive in the same JVM: the CII from the
 * hub's stylesheet passes phive's official rules, Mustang embeds it in a PDF/A-3, the embedded file read back
 * with PDFBox is byte-identical, the XMP names the profile, and Mustang's own validator (veraPDF + its
 * Schematron, run in its own class loader) calls the PDF valid.
 */
class FacturXHybridTest {

    static final Path SAMPLE = Path.of("samples/valid/02-standard-and-reduced-rates.json");

    static IsolatedMustangValidator mustangValidator;
    final FacturXEmbedder embedder = new FacturXEmbedder();

    @BeforeAll
    static void startValidator() throws Exception {
        mustangValidator = new IsolatedMustangValidator();
    }

    @AfterAll
    static void closeValidator() throws Exception {
        mustangValidator.close();
    }

    record Embedded(byte[] content, String relationship, String xmp, String text) {
    }

    @Test
    void en16931HybridPdfCarriesTheValidatedCiiByteForByteAndPassesMustangsValidator() throws Exception {
        JsonNode submission = FeatureRendering.read(SAMPLE);
        byte[] cii = FeatureRendering.render(PinnedFeature.EN16931_CII, submission);
        ValidationReport phive = FeatureRendering.validate(PinnedFeature.EN16931_CII, "Invoice", cii);
        assertThat(phive.findings()).as("phive EN 16931 CII findings").noneMatch(Finding::isBlocking);

        byte[] pdf = embedder.embed(cii, FacturXProfile.EN16931, embedder.render(cii));

        Embedded embedded = read(pdf, "factur-x.xml");
        assertThat(embedded.content()).as("embedded factur-x.xml equals the CII phive validated").isEqualTo(cii);
        assertThat(embedded.relationship()).isEqualTo("Alternative");
        assertThat(xmp(embedded.xmp(), "pdfaid:part")).isEqualTo("3");
        assertThat(xmp(embedded.xmp(), "fx:ConformanceLevel")).isEqualTo("EN 16931");
        assertThat(xmp(embedded.xmp(), "fx:DocumentFileName")).isEqualTo("factur-x.xml");
        assertThat(xmp(embedded.xmp(), "fx:DocumentType")).isEqualTo("INVOICE");
        assertThat(xmp(embedded.xmp(), "fx:Version")).isEqualTo("1.0");
        String invoiceNumber = submission.path("document").path("number").asText();
        assertThat(invoiceNumber).isNotBlank();
        assertThat(embedded.text()).as("visible page").contains(invoiceNumber);

        IsolatedMustangValidator.Result mustang = mustangValidator.validate(pdf, "factur-x.pdf");
        assertThat(mustang.valid()).as("Mustang's validator on the hybrid PDF:\n" + mustang.report()).isTrue();
        assertThat(mustang.report()).contains("<summary status=\"valid\"");
    }

    @Test
    void xrechnungProfileEmbedsXrechnungXml() throws Exception {
        byte[] cii = FeatureRendering.render(PinnedFeature.XRECHNUNG_CII, FeatureRendering.read(SAMPLE));
        assertThat(FeatureRendering.validate(PinnedFeature.XRECHNUNG_CII, "Invoice", cii).findings())
                .noneMatch(Finding::isBlocking);

        byte[] pdf = embedder.embed(cii, FacturXProfile.XRECHNUNG, embedder.render(cii));

        Embedded embedded = read(pdf, "xrechnung.xml");
        assertThat(embedded.content()).isEqualTo(cii);
        assertThat(xmp(embedded.xmp(), "fx:ConformanceLevel")).isEqualTo("XRECHNUNG");
        assertThat(xmp(embedded.xmp(), "fx:DocumentFileName")).isEqualTo("xrechnung.xml");
        IsolatedMustangValidator.Result mustang = mustangValidator.validate(pdf, "xrechnung.pdf");
        assertThat(mustang.valid()).as("Mustang's validator:\n" + mustang.report()).isTrue();
    }

    @Test
    void extendedProfileIsCheckedWithTheExtendedRules() throws Exception {
        String en16931 = new String(FeatureRendering.render(PinnedFeature.EN16931_CII, FeatureRendering.read(SAMPLE)), StandardCharsets.UTF_8);
        byte[] cii = en16931.replace("<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
                "<ram:ID>urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended</ram:ID>").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(cii, StandardCharsets.UTF_8)).contains("1p0:extended");

        byte[] pdf = embedder.embed(cii, FacturXProfile.EXTENDED, embedder.render(cii));

        Embedded embedded = read(pdf, "factur-x.xml");
        assertThat(embedded.content()).isEqualTo(cii);
        assertThat(xmp(embedded.xmp(), "fx:ConformanceLevel")).isEqualTo("EXTENDED");
        IsolatedMustangValidator.Result mustang = mustangValidator.validate(pdf, "extended.pdf");
        assertThat(mustang.valid()).as("Mustang's validator:\n" + mustang.report()).isTrue();
        assertThat(mustang.report()).contains("urn:factur-x.eu:1p0:extended");
    }

    @Test
    void mustangsValidatorRejectsAHybridWhoseCiiBreaksTheRules() throws Exception {
        byte[] cii = FeatureRendering.render(PinnedFeature.EN16931_CII, FeatureRendering.read(SAMPLE));
        // BT-1, the invoice number, removed: BR-02 in EN 16931
        String broken = new String(cii, StandardCharsets.UTF_8)
                .replaceFirst("(<rsm:ExchangedDocument>\\s*)<ram:ID>[^<]*</ram:ID>", "$1");
        assertThat(broken).isNotEqualTo(new String(cii, StandardCharsets.UTF_8));
        byte[] brokenCii = broken.getBytes(StandardCharsets.UTF_8);
        assertThat(FeatureRendering.validate(PinnedFeature.EN16931_CII, "Invoice", brokenCii).findings())
                .anyMatch(Finding::isBlocking);

        byte[] pdf = embedder.embed(brokenCii, FacturXProfile.EN16931, embedder.render(cii));

        IsolatedMustangValidator.Result mustang = mustangValidator.validate(pdf, "broken.pdf");
        assertThat(mustang.valid()).as(mustang.report()).isFalse();
    }

    @Test
    void theTwoPhCommonsLinesNeverMeet() throws Exception {
        // the hub: ph-commons 12 (phive; its classes moved to com.helger.base), neither ph-commons 11 nor Mustang's
        // CII->UBL converter that brought it, and Camel's Saxon 12.9
        assertThat(com.helger.base.version.Version.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .contains("ph-base-12.1.5");
        assertThatThrownBy(() -> Class.forName("com.helger.commons.version.Version"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("com.helger.en16931.cii2ubl.CIIToUBLConverter"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(net.sf.saxon.Version.getProductVersion()).startsWith("12.9");
        // Mustang's validator sees its own ph-commons 11 and its own Mustang classes
        ClassLoader validatorWorld = mustangValidator.loaderOf("com.helger.commons.version.Version");
        assertThat(validatorWorld).isNotSameAs(getClass().getClassLoader());
        assertThat(Class.forName("com.helger.commons.version.Version", false, validatorWorld)
                .getProtectionDomain().getCodeSource().getLocation().toString()).contains("ph-commons-11.2.6");
        assertThat(mustangValidator.loaderOf("org.mustangproject.ZUGFeRD.ZUGFeRDVisualizer"))
                .isNotSameAs(org.mustangproject.ZUGFeRD.ZUGFeRDVisualizer.class.getClassLoader());
    }

    /** The named embedded file, its AFRelationship, the document's XMP and its visible text. */
    static Embedded read(byte[] pdf, String name) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
            assertThat(names).as("name dictionary").isNotNull();
            Map<String, PDComplexFileSpecification> files = names.getEmbeddedFiles().getNames();
            assertThat(files).as("embedded files").containsOnlyKeys(name);
            PDComplexFileSpecification spec = files.get(name);
            String xmp = new String(document.getDocumentCatalog().getMetadata().toByteArray(), StandardCharsets.UTF_8);
            return new Embedded(spec.getEmbeddedFile().toByteArray(),
                    spec.getCOSObject().getNameAsString(COSName.getPDFName("AFRelationship")), xmp,
                    new PDFTextStripper().getText(document));
        }
    }

    /** An XMP property's value, written as an element or as an attribute. */
    static String xmp(String xmp, String property) {
        Matcher m = Pattern.compile("<" + Pattern.quote(property) + ">([^<]*)</" + Pattern.quote(property) + ">|"
                + Pattern.quote(property) + "=\"([^\"]*)\"").matcher(xmp);
        assertThat(m.find()).as(property + " in the XMP:\n" + xmp).isTrue();
        return m.group(1) != null ? m.group(1) : m.group(2);
    }
}
