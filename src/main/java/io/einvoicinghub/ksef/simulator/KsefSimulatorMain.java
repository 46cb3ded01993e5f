package io.einvoicinghub.ksef.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the KSeF simulator standalone for demos and manual tests:
 * <pre>
 * java -cp target/classes:$(cat target/classpath.txt) io.einvoicinghub.ksef.simulator.KsefSimulatorMain \
 *      --port 8099 --token demo-token=5265877635 --delay 2s --schema-dir transformations/ksef/schema
 * </pre>
 * Options: {@code --port} (default 8099, 0 = any free port), {@code --token TOKEN=NIP} (repeatable; default
 * {@code demo-ksef-token=5265877635}), {@code --delay} invoice processing delay ({@code 2s}, {@code 500ms}; default 2s),
 * {@code --auth-delay} (default 200ms), {@code --schema-dir} (default transformations/ksef/schema).
 * Listens on 127.0.0.1 only; stops on Ctrl-C.
 */
public final class KsefSimulatorMain {

    private KsefSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8099;
        Duration delay = Duration.ofSeconds(2);
        Duration authDelay = Duration.ofMillis(200);
        Path schemaDir = Path.of("transformations/ksef/schema");
        java.util.Map<String, String> tokens = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--port" -> { port = Integer.parseInt(value); i++; }
                case "--delay" -> { delay = duration(value); i++; }
                case "--auth-delay" -> { authDelay = duration(value); i++; }
                case "--schema-dir" -> { schemaDir = Path.of(value); i++; }
                case "--token" -> {
                    int eq = value.lastIndexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--token needs TOKEN=NIP");
                    }
                    tokens.put(value.substring(0, eq), value.substring(eq + 1));
                    i++;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --port, --token TOKEN=NIP, --delay, --auth-delay, --schema-dir)");
            }
        }
        if (tokens.isEmpty()) {
            tokens.put("demo-ksef-token", "5265877635");
        }
        KsefSimulator simulator = new KsefSimulator(schemaDir).processingDelay(delay).authenticationDelay(authDelay);
        tokens.forEach(simulator::registerKsefToken);
        simulator.start(port);
        System.out.println("KSeF simulator listening on " + simulator.baseUri() + " (processing delay " + delay.toMillis()
                + " ms); KSeF tokens accepted for NIP " + tokens.values());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        stop.await();
    }

    static Duration duration(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Long.parseLong(v));
    }
}
