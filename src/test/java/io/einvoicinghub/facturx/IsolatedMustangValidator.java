package io.einvoicinghub.facturx;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Mustang's validator (veraPDF for PDF/A-3, its Schematron for the XML) run from a class loader of its own, built
 * from the jars {@code tools/mustang-validator/pom.xml} resolved into {@code tools/mustang-validator/lib} with
 * their own versions (ph-commons 11, Saxon 12.10, its own Mustang library). The loader's parent is the platform
 * class loader, so nothing of the hub's classpath (ph-commons 12, phive) is visible to it, nor any of its classes
 * to the hub: the two ph-commons lines never meet (decision 0014). Called through reflection by design.
 */
public final class IsolatedMustangValidator implements AutoCloseable {

    public static final Path LIB = Path.of("tools/mustang-validator/lib");

    private final URLClassLoader loader;
    private final Class<?> validatorClass;

    /** The validator's report and whether Mustang called the file completely valid. */
    public record Result(boolean valid, String report) {
    }

    public IsolatedMustangValidator() throws IOException, ReflectiveOperationException {
        if (!Files.isRegularFile(LIB.resolve("validator-2.25.0.jar"))) {
            throw new IllegalStateException(LIB + " lacks Mustang's validator: run "
                    + "./mvnw -f tools/mustang-validator/pom.xml package (the hub's build does it while lib/ is missing)");
        }
        List<URL> jars;
        try (Stream<Path> files = Files.list(LIB)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().map(IsolatedMustangValidator::url).toList();
        }
        loader = new URLClassLoader("mustang-validator", jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        validatorClass = Class.forName("org.mustangproject.validator.ZUGFeRDValidator", true, loader);
    }

    /** Validates a PDF (PDF/A-3 + embedded XML) or a bare XML file. */
    public Result validate(byte[] content, String fileName) throws ReflectiveOperationException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // JAXB, ServiceLoader and Saxon look here
        try {
            Object validator = validatorClass.getConstructor().newInstance();
            String report = (String) validatorClass.getMethod("validate", byte[].class, String.class)
                    .invoke(validator, content, fileName);
            boolean valid = (boolean) validatorClass.getMethod("wasCompletelyValid").invoke(validator);
            return new Result(valid, report);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Which class loader holds a class of the validator's world (for the isolation test). */
    public ClassLoader loaderOf(String className) throws ClassNotFoundException {
        return Class.forName(className, false, loader).getClassLoader();
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
