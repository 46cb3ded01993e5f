package io.einvoicinghub.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the Azurite blob emulator (installed by the Maven build into {@code tools/azurite/node_modules}) as a child
 * process, once per test JVM: the first test class that uses the extension starts it, the root
 * {@link ExtensionContext.Store} stops it (with its process tree) when the test plan ends, and a shutdown hook does
 * the same if the JVM ends otherwise. Tests get the connection details through {@link #azurite()} or a parameter of
 * type {@link Azurite}.
 */
public class AzuriteExtension implements BeforeAllCallback, ParameterResolver {

    public static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's fixed, publicly documented development key (not a secret). */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    static final Path EXECUTABLE = Path.of("tools", "azurite", "node_modules", ".bin", "azurite-blob");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static volatile Azurite instance;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(AzuriteExtension.class))
                .getOrComputeIfAbsent(Azurite.class, key -> startShared(), Azurite.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Azurite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        beforeAll(extensionContext);
        return azurite();
    }

    /** The running emulator; only valid in a test class extended with this extension. */
    public static Azurite azurite() {
        Azurite running = instance;
        if (running == null) {
            throw new IllegalStateException("Azurite is not started: annotate the test class with @ExtendWith(AzuriteExtension.class)");
        }
        return running;
    }

    private static synchronized Azurite startShared() {
        if (instance == null) {
            Azurite started = Azurite.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "azurite-stop"));
            instance = started;
        }
        return instance;
    }

    /** One running Azurite blob service. */
    public static final class Azurite implements ExtensionContext.Store.CloseableResource {

        private final Process process;
        private final Path location;
        private final int port;
        private final Duration startTime;
        private volatile boolean closed;

        private Azurite(Process process, Path location, int port, Duration startTime) {
            this.process = process;
            this.location = location;
            this.port = port;
            this.startTime = startTime;
        }

        static Azurite start() {
            Path executable = EXECUTABLE.toAbsolutePath();
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException(executable + " is missing: run the tests through Maven (it installs "
                        + "Azurite) or run `npm ci --prefix tools/azurite` once");
            }
            long begin = System.nanoTime();
            try {
                Path location = Files.createTempDirectory("azurite-");
                int port = freePort();
                Path log = location.resolve("azurite-process.log");
                ProcessBuilder builder = new ProcessBuilder(List.of(executable.toString(),
                        "--location", location.resolve("data").toString(),
                        "--blobHost", "127.0.0.1",
                        "--blobPort", Integer.toString(port),
                        "--disableTelemetry", "--skipApiVersionCheck", "--loose"))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                Process process = builder.start();
                Azurite azurite = new Azurite(process, location, port, null);
                long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
                while (!answers(port)) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                        azurite.close();
                        throw new IllegalStateException("Azurite did not start on port " + port + " (exit "
                                + (process.isAlive() ? "none, timed out" : process.exitValue()) + "):\n" + output);
                    }
                    Thread.sleep(100);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                System.out.printf("[azurite] blob service on 127.0.0.1:%d started in %d ms (pid %d)%n",
                        port, took.toMillis(), process.pid());
                return new Azurite(process, location, port, took);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start Azurite", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting Azurite", e);
            }
        }

        public int port() {
            return port;
        }

        public Duration startTime() {
            return startTime;
        }

        /** {@code http://127.0.0.1:<port>/devstoreaccount1} */
        public String blobEndpoint() {
            return "http://127.0.0.1:" + port + "/" + ACCOUNT;
        }

        public String connectionString() {
            return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                    + ";BlobEndpoint=" + blobEndpoint() + ";";
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
            tree.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    tree.forEach(ProcessHandle::destroyForcibly);
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                tree.forEach(ProcessHandle::destroyForcibly);
                Thread.currentThread().interrupt();
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            deleteQuietly(location);
            if (instance == this) {
                instance = null;
            }
        }

        private static boolean answers(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return socket.getLocalPort();
            }
        }

        private static void deleteQuietly(Path folder) {
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // temp folder; the OS cleans it eventually
            }
        }
    }
}
