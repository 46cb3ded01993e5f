package io.einvoicinghub.signing;

import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.EncryptionAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.reference.CanonicalizationTransform;
import eu.europa.esig.dss.xades.reference.DSSReference;
import eu.europa.esig.dss.xades.reference.DSSTransform;
import eu.europa.esig.dss.xades.reference.EnvelopedSignatureTransform;
import eu.europa.esig.dss.xades.reference.XPath2FilterTransform;
import eu.europa.esig.dss.xades.signature.XAdESService;
import io.einvoicinghub.processing.action.Action;
import io.einvoicinghub.processing.action.ActionSpec;
import io.einvoicinghub.processing.action.ParameterSpec;
import io.einvoicinghub.processing.action.StepContext;
import io.einvoicinghub.processing.action.StepFailure;
import io.einvoicinghub.processing.action.StepParameters;
import io.einvoicinghub.processing.action.StepResult;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.validation.SecureXml;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.crypto.dsig.spec.XPathFilter2ParameterSpec;
import javax.xml.crypto.dsig.spec.XPathType;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * {@code sign-xml}: signs the current XML document with a certificate from the store — plain XMLDSig
 * (enveloped, the JDK's XML Signature API) or XAdES-B-B (enveloped, enveloping or detached, EU DSS), RSA or
 * ECDSA. Enveloped and enveloping results become the current document; a detached signature is stored
 * beside it and the signed document stays current.
 */
@Component
public class SignXmlAction implements Action {

    static final String XMLDSIG = "XMLDSig";
    static final String XADES_B_B = "XAdES-B-B";

    private static final ActionSpec SPEC = ActionSpec.of("sign-xml",
                    "Sign the current XML document: XMLDSig enveloped or XAdES-B-B enveloped/enveloping/detached, RSA or ECDSA")
            .parameter(SigningParameters.CERTIFICATE)
            .parameter(SigningParameters.OUTPUT_NAME)
            .parameter(ParameterSpec.oneOf("level", XADES_B_B, "XMLDSig (plain W3C XML Signature) or XAdES-B-B", XMLDSIG, XADES_B_B))
            .parameter(ParameterSpec.oneOf("packaging", "enveloped",
                    "enveloped (inside the document), enveloping (the document inside the signature, XAdES) or detached (XAdES)",
                    "enveloped", "enveloping", "detached"))
            .parameter(SigningParameters.DIGEST)
            .parameter(SigningParameters.SIGNATURE_ALGORITHM)
            .parameter(ParameterSpec.optional("parentXPath", ParameterSpec.Type.STRING, null,
                    "enveloped: XPath of the element the signature is placed at (default the document element), "
                            + "e.g. /*/*[local-name()='UBLExtensions']"))
            .parameter(ParameterSpec.oneOf("placement", "last-child",
                    "enveloped: where the signature goes relative to the parentXPath element: its last child, its first child, "
                            + "or its next sibling (after)", "last-child", "first-child", "after"))
            .parameter(ParameterSpec.optional("referenceId", ParameterSpec.Type.STRING, null,
                    "enveloped: sign only the element whose Id/ID/id attribute has this value (default the whole document)"))
            .parameter(ParameterSpec.optional("referenceXPath", ParameterSpec.Type.STRING, null,
                    "enveloped: sign only the subtree of the element(s) this XPath selects (XPath Filter 2.0 intersect; "
                            + "default the whole document), e.g. /*/*[local-name()='Body']"))
            .build();

    private final SigningCertificates certificates;

    public SignXmlAction(SigningCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public StepResult run(StepContext step) throws Exception {
        StepParameters p = step.parameters();
        String level = p.require("level");
        String packaging = p.require("packaging");
        if (XMLDSIG.equals(level) && !"enveloped".equals(packaging)) {
            throw new StepFailure.Permanent("sign-xml: level XMLDSig is offered enveloped only; use XAdES-B-B for " + packaging);
        }
        if (!"enveloped".equals(packaging) && (p.get("referenceId").isPresent() || p.get("referenceXPath").isPresent()
                || p.get("parentXPath").isPresent() || !"last-child".equals(p.require("placement")))) {
            throw new StepFailure.Permanent("sign-xml: referenceId, referenceXPath, parentXPath and placement apply to enveloped signatures; "
                    + packaging + " signs the whole document");
        }
        if (p.get("referenceId").isPresent() && p.get("referenceXPath").isPresent()) {
            throw new StepFailure.Permanent("sign-xml: give referenceId or referenceXPath, not both");
        }
        byte[] xml = step.document();
        SecureXml.parse(xml); // refuses DTDs and external entities before any signing code reads the document
        byte[] signed;
        Date signingTime = Date.from(certificates.now());
        try (KeyMaterials.SigningToken token = certificates.open(p.require("certificate"))) {
            EncryptionAlgorithm encryption = SigningParameters.encryption(p, token);
            DigestAlgorithm digest = SigningParameters.digest(p);
            signed = XMLDSIG.equals(level)
                    ? xmlDsig(xml, p, token, encryption, digest)
                    : xades(xml, step.documentName(), p, token, encryption, digest, packaging, signingTime);
        }
        String name = p.require("outputName");
        if ("detached".equals(packaging)) {
            var stored = step.storeFile(name, "signature", "application/xml", signed);
            step.setVariable(SigningParameters.DETACHED_SIGNATURE_VARIABLE, stored.key() == null ? name : stored.key());
        } else {
            step.storeDocument(name, "output", "application/xml", signed);
        }
        return StepResult.done();
    }

    private static byte[] xades(byte[] xml, String documentName, StepParameters p, KeyMaterials.SigningToken token,
                                EncryptionAlgorithm encryption, DigestAlgorithm digest, String packaging, Date signingTime)
            throws SecureXml.UnsafeOrMalformedXmlException {
        XAdESSignatureParameters parameters = new XAdESSignatureParameters();
        parameters.setSignatureLevel(SignatureLevel.XAdES_BASELINE_B);
        parameters.setSignaturePackaging(SignaturePackaging.valueOf(packaging.toUpperCase(java.util.Locale.ROOT)));
        parameters.setDigestAlgorithm(digest);
        parameters.setEncryptionAlgorithm(encryption);
        DSSDocument document = new InMemoryDocument(xml, documentName == null ? "document.xml" : documentName);
        if ("enveloped".equals(packaging)) {
            String placement = p.require("placement");
            String location = p.get("parentXPath").orElse(null);
            if (location == null && !"last-child".equals(placement)) {
                location = "/*"; // first child of / after the document element needs an anchor; "after" the root is refused below
            }
            if (location != null) {
                parameters.setXPathLocationString(location);
            }
            switch (placement) {
                case "first-child" -> parameters.setXPathElementPlacement(XAdESSignatureParameters.XPathElementPlacement.XPathFirstChildOf);
                case "after" -> {
                    if (p.get("parentXPath").isEmpty()) {
                        throw new IllegalArgumentException("placement after needs parentXPath: a signature cannot follow the document element");
                    }
                    parameters.setXPathElementPlacement(XAdESSignatureParameters.XPathElementPlacement.XPathAfter);
                }
                default -> { }
            }
            partialReference(p, document, digest).ifPresent(r -> parameters.setReferences(List.of(r)));
        }
        DSSDocument signed = SigningParameters.sign(new XAdESService(new CommonCertificateVerifier()), document, parameters, token, signingTime);
        return bytes(signed);
    }

    /** A reference to part of the document (by id or XPath), or empty for the whole document (DSS's default reference). */
    private static java.util.Optional<DSSReference> partialReference(StepParameters p, DSSDocument document, DigestAlgorithm digest)
            throws SecureXml.UnsafeOrMalformedXmlException {
        String id = p.get("referenceId").orElse(null);
        String xpath = p.get("referenceXPath").orElse(null);
        if (id == null && xpath == null) {
            return java.util.Optional.empty();
        }
        if (id != null) {
            markId(SecureXml.parse(bytes(document)), id); // the same clear message as XMLDSig when no element has the id
        }
        DSSReference reference = new DSSReference();
        reference.setId("r-" + java.util.UUID.randomUUID());
        reference.setContents(document);
        reference.setDigestMethodAlgorithm(digest);
        List<DSSTransform> transforms = new ArrayList<>();
        if (id != null) {
            reference.setUri("#" + id);
        } else {
            reference.setUri("");
            requireElements(SecureXml.parse(bytes(document)), xpath);
            transforms.add(new XPath2FilterTransform(xpath, "intersect"));
        }
        transforms.add(new EnvelopedSignatureTransform());
        transforms.add(new CanonicalizationTransform(CanonicalizationMethod.EXCLUSIVE));
        reference.setTransforms(transforms);
        return java.util.Optional.of(reference);
    }

    private static byte[] xmlDsig(byte[] xml, StepParameters p, KeyMaterials.SigningToken token, EncryptionAlgorithm encryption,
                                  DigestAlgorithm digest) throws Exception {
        Document document = SecureXml.parse(xml);
        Element anchor = p.get("parentXPath").map(x -> parent(document, x)).orElse(document.getDocumentElement());
        String placement = p.require("placement");
        if ("after".equals(placement) && anchor == document.getDocumentElement()) {
            throw new IllegalArgumentException("placement after needs parentXPath selecting an element below the document element");
        }
        String referenceUri = "";
        String referenceId = p.get("referenceId").orElse(null);
        if (referenceId != null) {
            markId(document, referenceId);
            referenceUri = "#" + referenceId;
        }
        XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");
        List<Transform> transforms = new ArrayList<>();
        String referenceXPath = p.get("referenceXPath").orElse(null);
        if (referenceXPath != null) {
            requireElements(document, referenceXPath);
            transforms.add(factory.newTransform(Transform.XPATH2, new XPathFilter2ParameterSpec(
                    List.of(new XPathType(referenceXPath, XPathType.Filter.INTERSECT)))));
        }
        transforms.add(factory.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null));
        transforms.add(factory.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null));
        Reference reference = factory.newReference(referenceUri, factory.newDigestMethod(digestUri(digest), null),
                transforms, null, null);
        SignedInfo signedInfo = factory.newSignedInfo(
                factory.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
                factory.newSignatureMethod(signatureUri(encryption, digest), null), List.of(reference));
        KeyInfoFactory keyInfos = factory.getKeyInfoFactory();
        List<Object> chain = new ArrayList<>();
        Arrays.stream(token.key().getCertificateChain()).map(c -> (X509Certificate) c.getCertificate()).forEach(chain::add);
        KeyInfo keyInfo = keyInfos.newKeyInfo(List.of(keyInfos.newX509Data(chain)));
        DOMSignContext context = switch (placement) {
            case "first-child" -> anchor.getFirstChild() == null ? new DOMSignContext(token.key().getPrivateKey(), anchor)
                    : new DOMSignContext(token.key().getPrivateKey(), anchor, anchor.getFirstChild());
            case "after" -> anchor.getNextSibling() == null ? new DOMSignContext(token.key().getPrivateKey(), anchor.getParentNode())
                    : new DOMSignContext(token.key().getPrivateKey(), anchor.getParentNode(), anchor.getNextSibling());
            default -> new DOMSignContext(token.key().getPrivateKey(), anchor);
        };
        context.setDefaultNamespacePrefix("ds");
        factory.newXMLSignature(signedInfo, keyInfo).sign(context);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        transformer.transform(new DOMSource(document), new StreamResult(out));
        return out.toByteArray();
    }

    private static Element parent(Document document, String xpath) {
        try {
            Node node = (Node) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODE);
            if (node instanceof Element element) {
                return element;
            }
            throw new IllegalArgumentException("parentXPath '" + xpath + "' selects no element of the document");
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("parentXPath '" + xpath + "' is not a valid XPath: " + e.getMessage());
        }
    }

    private static void requireElements(Document document, String xpath) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element) {
                    return;
                }
            }
            throw new IllegalArgumentException("referenceXPath '" + xpath + "' selects no element of the document");
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("referenceXPath '" + xpath + "' is not a valid XPath: " + e.getMessage());
        }
    }

    /** Declares the Id/ID/id attribute carrying {@code id} as an XML ID, so the reference {@code #id} resolves. */
    private static void markId(Document document, String id) {
        NodeList all = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            for (String attribute : List.of("Id", "ID", "id")) {
                if (id.equals(e.getAttribute(attribute))) {
                    e.setIdAttribute(attribute, true);
                    return;
                }
            }
        }
        throw new IllegalArgumentException("referenceId '" + id + "': no element of the document has Id, ID or id '" + id + "'");
    }

    private static String digestUri(DigestAlgorithm digest) {
        return switch (digest) {
            case SHA384 -> DigestMethod.SHA384;
            case SHA512 -> DigestMethod.SHA512;
            default -> DigestMethod.SHA256;
        };
    }

    private static String signatureUri(EncryptionAlgorithm encryption, DigestAlgorithm digest) throws StepFailure.Permanent {
        if (encryption == EncryptionAlgorithm.RSASSA_PSS) {
            throw new StepFailure.Permanent("sign-xml: RSASSA-PSS is offered for XAdES-B-B; XMLDSig signs with RSA PKCS#1 v1.5 or ECDSA");
        }
        boolean ec = encryption == EncryptionAlgorithm.ECDSA;
        return switch (digest) {
            case SHA384 -> ec ? SignatureMethod.ECDSA_SHA384 : SignatureMethod.RSA_SHA384;
            case SHA512 -> ec ? SignatureMethod.ECDSA_SHA512 : SignatureMethod.RSA_SHA512;
            default -> ec ? SignatureMethod.ECDSA_SHA256 : SignatureMethod.RSA_SHA256;
        };
    }

    static byte[] bytes(DSSDocument document) {
        try (var in = document.openStream()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
