package io.einvoicinghub.facturx;

import io.einvoicinghub.validation.Finding;
import io.einvoicinghub.validation.SecureXml;
import jakarta.annotation.PreDestroy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Mustang's validator at run time: veraPDF's PDF/A-3 checks and the Factur-X / ZUGFeRD XSD and Schematron of the
 * profile the embedded XML declares. Its jars ({@code hub.facturx.validator-dir}, resolved by
 * {@code tools/mustang-validator/pom.xml} with their own versions) are loaded once, on first use, in a class loader
 * whose parent is the platform class loader: the validator's ph-commons 11 and the hub's ph-commons 12 (phive)
 * never meet (decisions 0014, 0022). It is called through reflection; one validation at a time (veraPDF's
 * foundry and Mustang's validator keep static state).
 */
@Component
public class MustangValidator {

    static final String VALIDATOR_CLASS = "org.mustangproject.validator.ZUGFeRDValidator";
    /** veraPDF's failed assertions as Mustang prints them inside {@code <pdf>}. */
    private static final Pattern FAILED_ASSERTION = Pattern.compile(
            "specification=([^,\\]]+), clause=([^,\\]]+), testNumber=(\\d+)\\], status=failed, message=(.*?), "
                    + "location=Location \\[level=[^,]*, context=([^\\]]*)\\].*?errorMessage=(.*?)\\](?=, TestAssertion|\\])");
    private static final int MAX_PDF_FINDINGS = 20;

    private final Path dir;
    private URLClassLoader loader;
    private Class<?> validatorClass;

    /** Whether Mustang called the file completely valid, its findings, and its report (XML). */
    public record Result(boolean valid, List<Finding> findings, String report) {
    }

    public MustangValidator(@Value("${hub.facturx.validator-dir:./tools/mustang-validator/lib}") String dir) {
        this.dir = Path.of(dir);
    }

    /** Whether the validator's jars are there (without loading them). */
    public boolean installed() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("validator-.*\\.jar"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Validates a Factur-X / ZUGFeRD PDF (PDF/A-3 and the embedded XML), or a bare CII file. */
    public synchronized Result validate(byte[] content, String fileName) {
        Class<?> validator = validatorClass();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // JAXB, ServiceLoader and Saxon look here
        try {
            Object instance = validator.getConstructor().newInstance();
            String report = (String) validator.getMethod("validate", byte[].class, String.class).invoke(instance, content, fileName);
            boolean valid = (boolean) validator.getMethod("wasCompletelyValid").invoke(instance);
            return new Result(valid, findings(report, valid), report);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Mustang's validator failed on " + fileName + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Mustang's validator in " + dir + " cannot be called: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Which class loader holds a class of the validator's world (for the isolation test). */
    public ClassLoader loaderOf(String className) throws ClassNotFoundException {
        validatorClass();
        return Class.forName(className, false, loader).getClassLoader();
    }

    private synchronized Class<?> validatorClass() {
        if (validatorClass != null) {
            return validatorClass;
        }
        if (!installed()) {
            throw new IllegalStateException("Mustang's validator is not installed in " + dir.toAbsolutePath()
                    + " (hub.facturx.validator-dir): run ./mvnw -f tools/mustang-validator/pom.xml package, or point the "
                    + "property at a folder holding its jars");
        }
        try (Stream<Path> files = Files.list(dir)) {
            URL[] jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().map(MustangValidator::url).toArray(URL[]::new);
            loader = new URLClassLoader("mustang-validator", jars, ClassLoader.getPlatformClassLoader());
            validatorClass = Class.forName(VALIDATOR_CLASS, true, loader);
            return validatorClass;
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("Mustang's validator cannot be loaded from " + dir.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * Findings from Mustang's report: each {@code error}/{@code exception} (ERROR), {@code warning} (WARNING) and
     * {@code notice} (INFO) under {@code <pdf>} (layer PDF/A-3) or {@code <xml>} (layer Factur-X XML), and veraPDF's
     * failed PDF/A assertions (rule id: the ISO 19005 clause), the first {@value #MAX_PDF_FINDINGS} of them.
     */
    static List<Finding> findings(String report, boolean valid) {
        List<Finding> findings = new ArrayList<>();
        Element root;
        try {
            root = SecureXml.parse(report.getBytes(StandardCharsets.UTF_8)).getDocumentElement();
        } catch (Exception e) {
            findings.add(new Finding("Mustang", "MUSTANG-REPORT", valid ? Finding.Severity.WARNING : Finding.Severity.ERROR,
                    "Mustang's report could not be read (" + e.getMessage() + "); the file is " + (valid ? "valid" : "invalid"), null, null));
            return findings;
        }
        for (Element pdf : children(root, "pdf")) {
            Matcher m = FAILED_ASSERTION.matcher(ownText(pdf));
            int count = 0;
            while (m.find() && count++ < MAX_PDF_FINDINGS) {
                findings.add(new Finding("PDF/A-3", m.group(1).trim() + " " + m.group(2) + "-" + m.group(3), Finding.Severity.ERROR,
                        m.group(6).trim() + " (" + m.group(4).trim() + ")", m.group(5).trim(), null));
            }
        }
        collect(root, "Mustang", findings);
        if (!valid && findings.stream().noneMatch(Finding::isBlocking)) {
            findings.add(new Finding("Mustang", "MUSTANG-INVALID", Finding.Severity.ERROR,
                    "Mustang's validator calls the file invalid (see the stored report)", null, null));
        }
        return findings;
    }

    private static void collect(Element element, String layer, List<Finding> findings) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element child)) {
                continue;
            }
            String name = child.getLocalName() == null ? child.getTagName() : child.getLocalName();
            Finding.Severity severity = switch (name) {
                case "error", "exception" -> Finding.Severity.ERROR;
                case "warning" -> Finding.Severity.WARNING;
                case "notice" -> Finding.Severity.INFO;
                default -> null;
            };
            if (severity != null) {
                String type = child.getAttribute("type");
                String location = child.getAttribute("location");
                String criterion = child.getAttribute("criterion");
                String message = child.getTextContent().trim() + (criterion.isEmpty() ? "" : " [" + criterion.trim() + "]");
                findings.add(new Finding(layer, "MUSTANG-" + (type.isEmpty() ? name.toUpperCase(java.util.Locale.ROOT) : type),
                        severity, message, location.isEmpty() ? null : location, null));
            } else {
                collect(child, switch (name) {
                    case "pdf" -> "PDF/A-3";
                    case "xml" -> "Factur-X XML";
                    default -> layer;
                }, findings);
            }
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> list = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static String ownText(Element element) {
        StringBuilder text = new StringBuilder();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            }
        }
        return text.toString();
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    public synchronized void close() throws IOException {
        if (loader != null) {
            loader.close();
            loader = null;
            validatorClass = null;
        }
    }
}
