package io.einvoicinghub.facturx;

import org.mustangproject.ZUGFeRD.IZUGFeRDExporter;
import org.mustangproject.ZUGFeRD.Profiles;
import org.mustangproject.ZUGFeRD.ZUGFeRDExporterFromA3;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Builds a Factur-X / ZUGFeRD hybrid invoice with Mustang: a PDF/A-3 whose visible pages show the invoice and
 * which carries the CII as its embedded file ({@code factur-x.xml}, {@code xrechnung.xml} for XRECHNUNG), with
 * the Factur-X XMP extension (fx:DocumentType, DocumentFileName, Version, ConformanceLevel) and the file's
 * {@code AFRelationship}, all written by Mustang. The visible pages are the hub's rendering of the CII
 * ({@link InvoicePdfRenderer}, embedded fonts).
 */
@Component
public class FacturXEmbedder {

    private static final String PRODUCER = "einvoicing-hub";

    /** A PDF showing the invoice (fonts embedded), drawn from the CII; {@link #embed} makes it a PDF/A-3. */
    public byte[] render(byte[] cii) throws IOException {
        return new InvoicePdfRenderer(cii).render();
    }

    /**
     * The hybrid invoice: {@code visual} as a PDF/A-3 with {@code cii} embedded as the profile's
     * Factur-X file, the bytes unchanged.
     */
    public byte[] embed(byte[] cii, FacturXProfile profile, byte[] visual) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(visual.length + cii.length + 8192);
        try (ZUGFeRDExporterFromA3 exporter = new ZUGFeRDExporterFromA3()) {
            // the visual PDF need not declare PDF/A: Mustang adds the XMP, the sRGB output intent and the
            // PDF/A-3 identification; Mustang's validator (veraPDF) checks the result in the tests
            IZUGFeRDExporter loaded = exporter.ignorePDFAErrors().load(visual);
            loaded.setProducer(PRODUCER);
            loaded.setCreator(PRODUCER);
            loaded.setZUGFeRDVersion(2);
            loaded.setProfile(Profiles.getByName(profile.mustangName));
            loaded.setXML(cii);
            loaded.export(out);
        }
        return out.toByteArray();
    }
}
