package io.einvoicinghub.validation;

import com.helger.diagnostics.error.IError;
import com.helger.diagnostics.error.SingleError;
import com.helger.diagnostics.error.list.ErrorList;
import com.helger.phive.api.EValidationType;
import com.helger.phive.api.artefact.IValidationArtefact;
import com.helger.phive.api.executor.IValidationExecutor;
import com.helger.phive.api.result.ValidationResult;
import com.helger.phive.api.validity.IValidityDeterminator;
import com.helger.phive.xml.schematron.CustomErrorDetails;
import com.helger.phive.xml.schematron.ValidationExecutorSchematron;
import com.helger.phive.xml.source.IValidationSourceXML;
import com.helger.schematron.svrl.SVRLFailedAssert;
import com.helger.schematron.svrl.SVRLHelper;
import com.helger.schematron.svrl.SVRLMarshaller;
import com.helger.schematron.svrl.SVRLSuccessfulReport;
import com.helger.schematron.svrl.jaxb.SchematronOutputType;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SAXDestination;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.XMLFilterImpl;

import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.sax.SAXTransformerFactory;
import javax.xml.transform.sax.TransformerHandler;
import javax.xml.transform.stream.StreamSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Map;

/**
 * One of phive's precompiled Schematron layers (an official XSLT), run on a Saxon tree that every Schematron layer of
 * a validation shares, keeping only the SVRL elements findings come from.
 * <p>
 * phive's own executor parses the document again for each layer and has Saxon write the whole SVRL into a DOM, with
 * one {@code svrl:fired-rule} per rule context matched (about six per invoice line, for a valid invoice too), before
 * copying it into JAXB objects: ~600,000 elements and ~250 MB for a 100,000-line invoice (decision 0027). Here the
 * {@code fired-rule} and {@code active-pattern} elements are dropped as Saxon emits them; the remaining SVRL is
 * turned into errors by the same ph-schematron classes phive uses, and the layer's custom error levels are applied
 * as phive applies them, so the findings are the same (SchematronLayerTest compares both on every published sample).
 */
final class SchematronLayer {

    private static final Logger LOG = LoggerFactory.getLogger(SchematronLayer.class);
    private static final String SVRL = "http://purl.oclc.org/dsdl/svrl";
    /** phive keeps a layer's custom error levels (XRechnung's BR-CL-*) in a field without a getter. */
    private static final Field CUSTOM_ERROR_DETAILS = customErrorDetailsField();

    /** The JDK's own identity transformer builds the small SVRL DOM; a factory is not promised to be thread-safe. */
    private static final ThreadLocal<SAXTransformerFactory> TO_DOM =
            ThreadLocal.withInitial(() -> (SAXTransformerFactory) TransformerFactory.newDefaultInstance());

    private final IValidationExecutor<IValidationSourceXML> phiveExecutor;
    private final Map<String, CustomErrorDetails> customErrorDetails;
    private final Stylesheets stylesheets;

    private SchematronLayer(IValidationExecutor<IValidationSourceXML> phiveExecutor,
                            Map<String, CustomErrorDetails> customErrorDetails, Stylesheets stylesheets) {
        this.phiveExecutor = phiveExecutor;
        this.customErrorDetails = customErrorDetails;
        this.stylesheets = stylesheets;
    }

    /**
     * The compiled Schematron XSLTs by rule file: many rule sets share a layer (EN 16931's UBL rules are in XRechnung's
     * invoice and credit-note rule sets, among others) and a compiled one holds ~10 MB of expression trees.
     */
    static final class Stylesheets {
        private final Processor processor;
        private final Map<String, XsltExecutable> byRuleFile = new java.util.concurrent.ConcurrentHashMap<>();

        Stylesheets(Processor processor) {
            this.processor = processor;
        }

        XsltExecutable get(IValidationArtefact artefact) throws SaxonApiException {
            XsltExecutable compiled = byRuleFile.get(artefact.getRuleResourcePath());
            if (compiled != null) {
                return compiled;
            }
            synchronized (this) { // compiling twice at once would only cost; one at a time also bounds the memory
                compiled = byRuleFile.get(artefact.getRuleResourcePath());
                if (compiled == null) {
                    compiled = compile(artefact);
                    byRuleFile.put(artefact.getRuleResourcePath(), compiled);
                }
                return compiled;
            }
        }

        private XsltExecutable compile(IValidationArtefact artefact) throws SaxonApiException {
            try (InputStream in = artefact.getRuleResource().getInputStream()) {
                if (in == null) {
                    throw new SaxonApiException("Schematron XSLT " + artefact.getRuleResourcePath() + " not found");
                }
                java.net.URL url = artefact.getRuleResource().getAsURL();
                return processor.newXsltCompiler().compile(new StreamSource(in, url == null ? null : url.toString()));
            } catch (IOException e) {
                throw new SaxonApiException(e);
            }
        }
    }

    /**
     * The layer for a phive executor, or null where phive's own executor must run it: anything but a precompiled
     * Schematron XSLT with plain SVRL output, a layer with a prerequisite XPath, or a phive whose custom error levels
     * cannot be read (never guessed: without them XRechnung's code-list warnings would become errors).
     */
    static SchematronLayer of(IValidationExecutor<IValidationSourceXML> executor, Stylesheets stylesheets) {
        if (!(executor instanceof ValidationExecutorSchematron schematron)
                || executor.getValidationArtefact().getValidationType() != EValidationType.SCHEMATRON_XSLT2
                || (schematron.getPrerequisiteXPath() != null && !schematron.getPrerequisiteXPath().isEmpty())
                || CUSTOM_ERROR_DETAILS == null) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, CustomErrorDetails> custom = (Map<String, CustomErrorDetails>) CUSTOM_ERROR_DETAILS.get(schematron);
            return new SchematronLayer(executor, custom == null ? Map.of() : Map.copyOf(custom), stylesheets);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    IValidationArtefact artefact() {
        return phiveExecutor.getValidationArtefact();
    }

    /** Runs the layer; a failure of the stylesheet itself becomes an error of the layer, as in phive. */
    ValidationResult apply(XdmNode document, IValidityDeterminator<IValidationSourceXML> validity) {
        long start = System.nanoTime();
        ErrorList errors = new ErrorList();
        try {
            SchematronOutputType svrl = run(document);
            if (svrl == null) {
                errors.add(SingleError.builderError().errorLocation(artefact().getRuleResourcePath())
                        .errorText("Internal error interpreting Schematron result").build());
            } else {
                for (SVRLFailedAssert failed : SVRLHelper.getAllFailedAssertions(svrl)) {
                    errors.add(withCustomLevel(failed.getAsResourceError(null)));
                }
                for (SVRLSuccessfulReport report : SVRLHelper.getAllSuccessfulReports(svrl)) {
                    errors.add(withCustomLevel(report.getAsResourceError(null)));
                }
            }
        } catch (Exception e) {
            errors.add(SingleError.builderError().errorLocation(artefact().getRuleResourcePath())
                    .errorText(e.getMessage()).linkedException(e).build());
        }
        return new ValidationResult(artefact(), errors, validity.getValidity(phiveExecutor, errors),
                (System.nanoTime() - start) / 1_000_000);
    }

    private SchematronOutputType run(XdmNode document) throws SaxonApiException, TransformerConfigurationException {
        Xslt30Transformer transformer = stylesheets.get(artefact()).load30(); // compiled on first use
        transformer.setGlobalContextItem(document);
        TransformerHandler toDom = TO_DOM.get().newTransformerHandler();
        DOMResult result = new DOMResult();
        toDom.setResult(result);
        FindingsOnly filter = new FindingsOnly();
        filter.setContentHandler(toDom);
        transformer.applyTemplates(document, new SAXDestination(filter));
        Document svrl = (Document) result.getNode();
        // without the SVRL schema: the dropped elements are required there, and phive does not check it either
        return svrl == null || svrl.getDocumentElement() == null ? null : new SVRLMarshaller(false).read(svrl);
    }

    /** phive's rule: a custom level replaces the one the Schematron gives, the text gains its prefix/suffix. */
    private IError withCustomLevel(IError error) {
        CustomErrorDetails custom = error.getErrorID() == null ? null : customErrorDetails.get(error.getErrorID());
        if (custom == null) {
            return error;
        }
        return SingleError.builder(error).errorLevel(custom.getErrorLevel())
                .errorText(custom.getWithErrorTextPrefixAndSuffixApplied(error.getErrorText(Locale.ROOT))).build();
    }

    /** Passes the SVRL on without the elements no finding comes from, with anything inside them. */
    private static final class FindingsOnly extends XMLFilterImpl {
        /** Above 0 while inside a dropped element. */
        private int droppedDepth;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (droppedDepth > 0 || dropped(uri, localName)) {
                droppedDepth++;
            } else {
                super.startElement(uri, localName, qName, atts);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if (droppedDepth > 0) {
                droppedDepth--;
            } else {
                super.endElement(uri, localName, qName);
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (droppedDepth == 0) {
                super.characters(ch, start, length);
            }
        }

        private static boolean dropped(String uri, String localName) {
            return SVRL.equals(uri) && ("fired-rule".equals(localName) || "active-pattern".equals(localName));
        }
    }

    private static Field customErrorDetailsField() {
        try {
            Field field = ValidationExecutorSchematron.class.getDeclaredField("m_aCustomErrorDetails");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("phive's custom error levels cannot be read ({}); every Schematron layer runs on phive's own executor",
                    e.toString());
            return null;
        }
    }
}
