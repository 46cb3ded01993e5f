package io.einvoicinghub.validation;

import com.helger.base.location.ILocation;
import com.helger.diagnostics.error.IError;
import com.helger.diver.api.coord.DVRCoordinate;
import com.helger.phive.api.execute.ValidationExecutionManager;
import com.helger.phive.api.executorset.IValidationExecutorSet;
import com.helger.phive.api.executorset.ValidationExecutorSetRegistry;
import com.helger.phive.api.result.ValidationResult;
import com.helger.phive.api.result.ValidationResultList;
import com.helger.phive.api.validity.EExtendedValidity;
import com.helger.phive.api.validity.IValidityDeterminator;
import com.helger.phive.en16931.EN16931Validation;
import com.helger.phive.fatturapa.FatturaPAValidation;
import com.helger.phive.france.FranceCTCValidation;
import com.helger.phive.peppol.PeppolValidation;
import com.helger.phive.xml.source.IValidationSourceXML;
import com.helger.phive.xml.source.ValidationSourceXML;
import com.helger.phive.xrechnung.XRechnungValidation;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.tree.tiny.TinyTree;
import com.helger.phive.api.executor.IValidationExecutor;
import org.w3c.dom.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;

/**
 * Validates XML against the official rule sets shipped by phive (XSD + EN 16931, Peppol, XRechnung and French
 * CTC Schematron; the FatturaPA XSD), never against hand-written copies. Rule sets are addressed by their phive coordinate
 * ("group:artifact:version"), e.g. {@code eu.peppol.bis3:invoice:2026.5}.
 */
public class OfficialRulesValidator implements AutoCloseable {

    /** Tree nodes from which the layers of one document run side by side (a 1,000-line invoice has ~60,000). */
    public static final int DEFAULT_PARALLEL_LAYERS_FROM_NODES = 20_000;
    /** The document a warm-up runs every layer on: it compiles them, its findings are discarded. */
    private static final byte[] STUB = "<Invoice/>".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final ValidationExecutorSetRegistry<IValidationSourceXML> registry = new ValidationExecutorSetRegistry<>();
    /** One Saxon configuration for the shared trees and the Schematron stylesheets that read them. */
    private final Processor processor = new Processor(false);
    private final SchematronLayer.Stylesheets stylesheets = new SchematronLayer.Stylesheets(processor);
    private final Map<DVRCoordinate, List<Layer>> layers = new ConcurrentHashMap<>();
    private final int parallelLayersFromNodes;
    /** Runs the other layers of a large document while the calling thread runs the first; idle threads end. */
    private final ThreadPoolExecutor layerPool;

    public OfficialRulesValidator() {
        this(DEFAULT_PARALLEL_LAYERS_FROM_NODES);
    }

    /** @param parallelLayersFromNodes documents of at least this many tree nodes have their layers run concurrently */
    public OfficialRulesValidator(int parallelLayersFromNodes) {
        EN16931Validation.initEN16931(registry);
        PeppolValidation.initStandard(registry);
        XRechnungValidation.initXRechnung(registry);
        FatturaPAValidation.initFatturaPA(registry); // the official FatturaPA XSDs (it.fatturapa:invoice:1.2.2)
        // French CIUS (BR-FR, Flux 2 UBL/CII), EXTENDED-CTC-FR and the CDAR life-cycle rules: fr.ctc:* (docs/france.md)
        FranceCTCValidation.initFranceCTC(registry);
        this.parallelLayersFromNodes = parallelLayersFromNodes;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger threadNumber = new AtomicInteger();
        this.layerPool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "validation-layer-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        layerPool.allowCoreThreadTimeOut(true);
    }

    public boolean knows(String ruleSetId) {
        return executorSet(ruleSetId) != null;
    }

    public List<String> ruleSetIds() {
        return registry.getAll().stream().map(ves -> ves.getID().getAsSingleID()).sorted().toList();
    }

    /** Validates a DOM that the caller has parsed safely (see {@link SecureXml}). */
    public ValidationReport validate(String ruleSetId, Document xml) {
        IValidationExecutorSet<IValidationSourceXML> ves = require(ruleSetId);
        List<Layer> plan = layersOf(ves);
        XdmNode tree = null;
        if (plan.stream().anyMatch(Layer::onSharedTree)) {
            try {
                tree = processor.newDocumentBuilder().build(new javax.xml.transform.dom.DOMSource(xml));
            } catch (SaxonApiException e) {
                throw new IllegalStateException("The document cannot be read into a tree: " + e.getMessage(), e);
            }
        }
        return run(ves, plan, ValidationSourceXML.create(null, xml), tree, IValidityDeterminator.createDefault());
    }

    /**
     * Validates XML bytes: refused outright if they hold a DOCTYPE ({@link SecureXml}); see
     * {@link #validate(String, XmlInput)}.
     */
    public ValidationReport validate(String ruleSetId, byte[] xml) throws SecureXml.UnsafeOrMalformedXmlException {
        return validate(ruleSetId, XmlInput.of(xml));
    }

    /**
     * Validates a document that can be read more than once (e.g. a stored file), never held in memory as bytes: it is
     * parsed once by {@link SecureXml} into the Saxon tree every Schematron layer reads, and streamed once more to the
     * XML Schema layer. A document without a Schematron layer is only checked ({@link SecureXml#check}).
     */
    public ValidationReport validate(String ruleSetId, XmlInput xml) throws SecureXml.UnsafeOrMalformedXmlException {
        IValidationExecutorSet<IValidationSourceXML> ves = require(ruleSetId);
        List<Layer> plan = layersOf(ves);
        XdmNode tree = read(xml, plan.stream().anyMatch(Layer::onSharedTree));
        try (StreamingValidationSource source = new StreamingValidationSource(xml)) {
            return run(ves, plan, source, tree, IValidityDeterminator.createDefault());
        }
    }

    /**
     * The same validation as phive runs it itself: each layer reads the document again and phive's own Schematron
     * executor builds the whole SVRL. The reference the benchmark's floor and the tests compare with.
     */
    public ValidationReport validateAsPhiveDoes(String ruleSetId, XmlInput xml) throws SecureXml.UnsafeOrMalformedXmlException {
        IValidationExecutorSet<IValidationSourceXML> ves = require(ruleSetId);
        read(xml, false);
        long start = System.nanoTime();
        try (StreamingValidationSource source = new StreamingValidationSource(xml)) {
            ValidationResultList results = ValidationExecutionManager.executeValidation(
                    IValidityDeterminator.createDefault(), ves, source, Locale.ENGLISH);
            return report(ves, results, start);
        }
    }

    /** Reads {@code xml} once through {@link SecureXml}: into the shared tree if a layer reads one, else only checked. */
    private XdmNode read(XmlInput xml, boolean intoTree) throws SecureXml.UnsafeOrMalformedXmlException {
        try (java.io.InputStream in = xml.open()) {
            if (intoTree) {
                return SecureXml.parseTree(processor, in);
            }
            SecureXml.check(in);
            return null;
        } catch (java.io.IOException e) {
            throw new SecureXml.UnsafeOrMalformedXmlException("XML could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Compiles every layer of a rule set (the Schematron compilation costs seconds) by running all layers on
     * a stub document; the result is discarded.
     */
    public void warmUp(String ruleSetId) {
        IValidationExecutorSet<IValidationSourceXML> ves = require(ruleSetId);
        try {
            IValidityDeterminator<IValidationSourceXML> runEveryLayer = (executor, errors) -> EExtendedValidity.VALID;
            Document dom = SecureXml.parse(STUB);
            XdmNode tree = SecureXml.parseTree(processor, new java.io.ByteArrayInputStream(STUB));
            run(ves, layersOf(ves), ValidationSourceXML.create(null, dom), tree, runEveryLayer);
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles phive's own executors of a rule set, for {@link #validateAsPhiveDoes}. */
    public void warmUpAsPhiveDoes(String ruleSetId) {
        try {
            IValidityDeterminator<IValidationSourceXML> runEveryLayer = (executor, errors) -> EExtendedValidity.VALID;
            ValidationExecutionManager.executeValidation(runEveryLayer, require(ruleSetId),
                    ValidationSourceXML.create(null, SecureXml.parse(STUB)),
                    Locale.ENGLISH);
        } catch (SecureXml.UnsafeOrMalformedXmlException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the threads that run layers side by side (they also end by themselves when idle). */
    @Override
    public void close() {
        layerPool.shutdown();
    }

    /**
     * The layers in order, each run as phive would run it: a layer that finds the document invalid and stops on error
     * (phive's default) leaves the following layers skipped. A large document has all its layers started at once,
     * and the results after a stopping layer are discarded, so the findings are the same either way.
     */
    private ValidationReport run(IValidationExecutorSet<IValidationSourceXML> ves, List<Layer> plan,
                                 IValidationSourceXML source, XdmNode tree,
                                 IValidityDeterminator<IValidationSourceXML> validity) {
        long start = System.nanoTime();
        List<Future<ValidationResult>> started = new ArrayList<>();
        if (plan.size() > 1 && tree != null && nodes(tree) >= parallelLayersFromNodes) {
            for (Layer layer : plan.subList(1, plan.size())) {
                started.add(layerPool.submit(() -> layer.apply(source, tree, validity)));
            }
        }
        List<ValidationResult> results = new ArrayList<>();
        boolean skipRest = false;
        for (int i = 0; i < plan.size(); i++) {
            Layer layer = plan.get(i);
            if (skipRest) {
                results.add(ValidationResult.createSkippedResult(layer.executor().getValidationArtefact()));
                continue;
            }
            ValidationResult result = i == 0 || started.isEmpty()
                    ? layer.apply(source, tree, validity) : await(started.get(i - 1));
            results.add(result);
            skipRest = validity.getValidity(layer.executor(), result.getErrorList()).isInvalid()
                    && layer.executor().isStopValidationOnError();
        }
        started.forEach(f -> f.cancel(false)); // those after a stopping layer: not needed
        return report(ves, results, start);
    }

    private static ValidationResult await(Future<ValidationResult> layer) {
        try {
            return layer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a validation layer ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static int nodes(XdmNode tree) {
        return tree.getUnderlyingNode().getTreeInfo() instanceof TinyTree tiny ? tiny.getNumberOfNodes() : 0;
    }

    private static ValidationReport report(IValidationExecutorSet<IValidationSourceXML> ves, Iterable<ValidationResult> results,
                                           long start) {
        List<Finding> findings = new ArrayList<>();
        for (ValidationResult result : results) {
            String layer = result.getValidationArtefact().getRuleResourcePath();
            for (IError error : result.getErrorList()) {
                findings.add(toFinding(layer, error));
            }
        }
        return new ValidationReport(ves.getID().getAsSingleID(), ves.getDisplayName(), List.copyOf(findings),
                (System.nanoTime() - start) / 1_000_000);
    }

    private List<Layer> layersOf(IValidationExecutorSet<IValidationSourceXML> ves) {
        return layers.computeIfAbsent(ves.getID(), id -> ves.getAllExecutors().stream()
                .map(executor -> new Layer(executor, SchematronLayer.of(executor, stylesheets))).toList());
    }

    /** How many layers of a rule set run on the shared tree (the others on phive's executors). */
    int sharedTreeLayers(String ruleSetId) {
        return (int) layersOf(require(ruleSetId)).stream().filter(Layer::onSharedTree).count();
    }

    private IValidationExecutorSet<IValidationSourceXML> require(String ruleSetId) {
        IValidationExecutorSet<IValidationSourceXML> ves = executorSet(ruleSetId);
        if (ves == null) {
            throw new IllegalArgumentException("Unknown validation rule set: " + ruleSetId);
        }
        return ves;
    }

    /** A layer of a rule set: a Schematron layer on the shared tree where it can be, otherwise phive's executor. */
    private record Layer(IValidationExecutor<IValidationSourceXML> executor, SchematronLayer schematron) {
        boolean onSharedTree() {
            return schematron != null;
        }

        ValidationResult apply(IValidationSourceXML source, XdmNode tree,
                               IValidityDeterminator<IValidationSourceXML> validity) {
            return schematron != null ? schematron.apply(tree, validity)
                    : executor.applyValidation(source, validity, Locale.ENGLISH);
        }
    }

    private IValidationExecutorSet<IValidationSourceXML> executorSet(String ruleSetId) {
        DVRCoordinate coordinate = DVRCoordinate.parseOrNull(ruleSetId);
        if (coordinate != null) {
            IValidationExecutorSet<IValidationSourceXML> exact = registry.getOfID(coordinate);
            if (exact != null) {
                return exact;
            }
        }
        // "group:artifact" alone (or with version "latest") means the newest release of that rule set
        String[] parts = ruleSetId.split(":");
        if (parts.length >= 2 && (parts.length == 2 || "latest".equals(parts[2]))) {
            return registry.getLatestReleaseVersion(parts[0], parts[1], Set.of());
        }
        return null;
    }

    private static Finding toFinding(String layer, IError error) {
        Finding.Severity severity = error.getErrorLevel().isGE(com.helger.diagnostics.error.level.EErrorLevel.ERROR)
                ? (error.getErrorLevel().isGE(com.helger.diagnostics.error.level.EErrorLevel.FATAL_ERROR)
                    ? Finding.Severity.FATAL : Finding.Severity.ERROR)
                : (error.getErrorLevel().isGE(com.helger.diagnostics.error.level.EErrorLevel.WARN)
                    ? Finding.Severity.WARNING : Finding.Severity.INFO);
        String location = error.getErrorFieldName();
        if (location == null && error.hasErrorLocation()) {
            ILocation l = error.getErrorLocation();
            location = l.getAsString();
        }
        String ruleId = error.getErrorID();
        if (ruleId == null || ruleId.isBlank()) {
            ruleId = layer != null && layer.endsWith(".xsd") ? "XSD" : "UNKNOWN";
        }
        String text = error.getErrorText(Locale.ENGLISH);
        return new Finding(shortName(layer), ruleId, severity, text, location, null);
    }

    private static String shortName(String path) {
        if (path == null) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }
}
