package io.einvoicinghub.sdi.simulator;

import eu.europa.esig.dss.model.InMemoryDocument;
import io.einvoicinghub.sdi.SdiFileName;
import io.einvoicinghub.sdi.SdiNotification;
import io.einvoicinghub.signing.VerifySignatureAction;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks SDI makes on a received file, in SDI's order, each failure as SDI's error code: the file name (00001),
 * the signature — CAdES for {@code .p7m}, XAdES enveloped for a signed {@code .xml}, mandatory for FPA12 (00102 not
 * intact, 00100 certificate expired, 00104 CA not enabled) — the FatturaPA 1.2.2 XSD (00200), and a few content
 * rules (00427, 00428, 00403, 00425). Duplicates (00002 file name, 00404 invoice) need SDI's memory: {@link SdiSimulator}.
 */
final class SdiFileChecks {

    static final String FATTURAPA_XSD = "/external/schemas/fatturapa/Schema_del_file_xml_FatturaPA_v1.2.2.xsd";
    static final String XMLDSIG_XSD = "/schemas/xmldsig-core-schema.xsd";
    private static final Pattern FORMAT = Pattern.compile("<(?:\\w+:)?FormatoTrasmissione>\\s*([^<\\s]*)\\s*<");
    private static final Pattern RECIPIENT = Pattern.compile("<(?:\\w+:)?CodiceDestinatario>\\s*([^<\\s]*)\\s*<");
    private static final Pattern GENERAL = Pattern.compile("<(?:\\w+:)?DatiGeneraliDocumento>(.*?)</(?:\\w+:)?DatiGeneraliDocumento>", Pattern.DOTALL);
    private static final Pattern DATE = Pattern.compile("<(?:\\w+:)?Data>\\s*([^<\\s]*)\\s*<");
    private static final Pattern NUMBER = Pattern.compile("<(?:\\w+:)?Numero>\\s*([^<]*?)\\s*<");
    private static final Pattern SELLER_ID = Pattern.compile("<(?:\\w+:)?CedentePrestatore>.*?<(?:\\w+:)?IdCodice>\\s*([^<\\s]*)\\s*<", Pattern.DOTALL);

    private final Schema schema;
    private final List<X509Certificate> trustedSigners;

    /** What the checks found: the invoice XML (unwrapped from its CAdES envelope), its key facts and the errors. */
    record Result(byte[] xml, String format, String recipientCode, String invoiceKey, List<SdiNotification.Error> errors) {
    }

    SdiFileChecks(List<X509Certificate> trustedSigners) {
        this.trustedSigners = List.copyOf(trustedSigners);
        this.schema = loadSchema();
    }

    Result check(String fileName, byte[] file, LocalDate receivedOn) {
        List<SdiNotification.Error> errors = new ArrayList<>();
        SdiFileName.invoiceNameProblem(fileName).ifPresent(p -> errors.add(error(SdiErrors.INVALID_NAME, p)));
        byte[] xml = file;
        boolean signed = false;
        if (SdiFileName.isSigned(fileName)) {
            try {
                CMSSignedData cms = new CMSSignedData(file);
                if (cms.getSignedContent() == null) {
                    errors.add(error(SdiErrors.SIGNATURE_INVALID, "la busta CAdES non contiene il file fattura"));
                    return new Result(file, null, null, null, errors);
                }
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                cms.getSignedContent().write(content);
                xml = content.toByteArray();
                signed = true;
            } catch (CMSException | IOException | RuntimeException e) {
                errors.add(error(SdiErrors.SIGNATURE_INVALID, "il file .p7m non è una busta CAdES leggibile"));
                return new Result(file, null, null, null, errors);
            }
        } else {
            signed = new String(file, StandardCharsets.UTF_8).contains("http://www.w3.org/2000/09/xmldsig#");
        }
        String text = new String(xml, StandardCharsets.UTF_8);
        String format = first(FORMAT, text);
        if (signed) {
            errors.addAll(signature(file));
        } else if ("FPA12".equals(format)) {
            errors.add(error(SdiErrors.SIGNATURE_INVALID, "il file FatturaPA verso la PA (FPA12) deve essere firmato"));
        }
        xsd(xml).ifPresent(message -> errors.add(error(SdiErrors.NOT_CONFORMANT, message)));
        String recipient = first(RECIPIENT, text);
        if (format != null && !format.equals("FPA12") && !format.equals("FPR12")) {
            errors.add(error(SdiErrors.TRANSMISSION_FORMAT, null));
        } else if (recipient != null && ("FPA12".equals(format) ? recipient.length() != 6 : recipient.length() != 7)) {
            errors.add(error(SdiErrors.RECIPIENT_CODE_LENGTH, null));
        }
        String general = first(GENERAL, text);
        String number = general == null ? null : first(NUMBER, general);
        String date = general == null ? null : first(DATE, general);
        if (date != null && date.matches("\\d{4}-\\d{2}-\\d{2}") && LocalDate.parse(date).isAfter(receivedOn)) {
            errors.add(error(SdiErrors.DATE_AFTER_RECEIPT, null));
        }
        if (number != null && !number.matches(".*\\d.*")) {
            errors.add(error(SdiErrors.NUMBER_WITHOUT_DIGITS, null));
        }
        String key = number == null || date == null ? null : first(SELLER_ID, text) + "|" + number + "|" + date.substring(0, 4);
        return new Result(xml, format, recipient, key, errors);
    }

    private List<SdiNotification.Error> signature(byte[] signedFile) {
        VerifySignatureAction.Verification verification = VerifySignatureAction.verify(new InMemoryDocument(signedFile),
                List.of(), trustedSigners, false);
        if (verification.problem() != null || verification.outcomes().isEmpty()) {
            return List.of(error(SdiErrors.SIGNATURE_INVALID, "nessuna firma leggibile"));
        }
        List<SdiNotification.Error> errors = new ArrayList<>();
        for (VerifySignatureAction.Outcome s : verification.outcomes()) {
            if (!s.intact()) {
                errors.add(error(SdiErrors.SIGNATURE_INVALID, null));
            } else if (!s.trusted()) {
                errors.add(error(SdiErrors.UNTRUSTED_CA, null));
            } else if (s.errors().stream().anyMatch(m -> m.toLowerCase(java.util.Locale.ROOT).contains("expired")
                    || m.toLowerCase(java.util.Locale.ROOT).contains("validity range"))) {
                errors.add(error(SdiErrors.CERTIFICATE_EXPIRED, null));
            }
        }
        return errors;
    }

    private java.util.Optional<String> xsd(byte[] xml) {
        Validator validator = schema.newValidator();
        try {
            validator.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.validate(new StreamSource(new ByteArrayInputStream(xml)));
            return java.util.Optional.empty();
        } catch (SAXParseException e) {
            return java.util.Optional.of(truncate("riga " + e.getLineNumber() + ", colonna " + e.getColumnNumber() + ": " + e.getMessage()));
        } catch (SAXException | IOException e) {
            return java.util.Optional.of(truncate(e.getMessage()));
        }
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 255 ? s.substring(0, 252) + "..." : s; // Descrizione_Type allows 255
    }

    private static SdiNotification.Error error(String code, String detail) {
        String description = SdiErrors.description(code) + (detail == null ? "" : ": " + detail);
        return new SdiNotification.Error(code, truncate(description));
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** The official FatturaPA 1.2.2 XSD from the phive rule set's jar; its xmldsig import from ph-xsds-xmldsig. */
    private static Schema loadSchema() {
        URL xsd = SdiFileChecks.class.getResource(FATTURAPA_XSD);
        URL xmldsig = SdiFileChecks.class.getResource(XMLDSIG_XSD);
        if (xsd == null || xmldsig == null) {
            throw new IllegalStateException("the FatturaPA XSD (" + FATTURAPA_XSD + ") or the XML Signature XSD is not on the classpath");
        }
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setResourceResolver(new Resolver(xmldsig));
            return factory.newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException("the FatturaPA XSD cannot be compiled: " + e.getMessage(), e);
        }
    }

    private record Resolver(URL xmldsig) implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId, String baseUri) {
            if (!"http://www.w3.org/2000/09/xmldsig#".equals(namespace)) {
                return null;
            }
            return new Input(xmldsig.toString(), publicId);
        }
    }

    private record Input(String systemId, String publicId) implements LSInput {
        public Reader getCharacterStream() { return null; }
        public void setCharacterStream(Reader r) { }
        public InputStream getByteStream() {
            try {
                return new URL(systemId).openStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        public void setByteStream(InputStream in) { }
        public String getStringData() { return null; }
        public void setStringData(String s) { }
        public String getSystemId() { return systemId; }
        public void setSystemId(String s) { }
        public String getPublicId() { return publicId; }
        public void setPublicId(String s) { }
        public String getBaseURI() { return null; }
        public void setBaseURI(String s) { }
        public String getEncoding() { return null; }
        public void setEncoding(String s) { }
        public boolean getCertifiedText() { return false; }
        public void setCertifiedText(boolean b) { }
    }
}
