package io.einvoicinghub.sdi.simulator;

import org.springframework.boot.convert.DurationStyle;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the SDI simulator standalone for demos and manual tests:
 * <pre>
 * java -cp target/classes:$(cat target/classpath.txt) io.einvoicinghub.sdi.simulator.SdiSimulatorMain \
 *      --port 8098 --transmitter https://localhost:8443/TrasmissioneFatture --hub-secrets data/secrets \
 *      --scenario deliver --delay 2s --outcome-delay 10s
 * </pre>
 * It makes a fresh test PKI at each start ({@link SimulatorPki}) and writes the transmitter's side into the hub's local
 * keystore {@code <hub-secrets>/certificates.p12} (aliases {@code sdi-transmitter}, {@code sdi-endpoint},
 * {@code it-signing}, CA {@code sdi-test-ca}; the keystore password is appended to {@code secrets.properties} as
 * {@code keystore-password} when that file has none). Options: {@code --port} (default 8098, 0 = any free port),
 * {@code --transmitter} the hub's TrasmissioneFatture URL (default https://localhost:8443/TrasmissioneFatture),
 * {@code --hub-secrets} (default data/secrets), {@code --scenario} deliver | reject:CODE[,CODE] | not-deliverable |
 * pa-accept | pa-refuse | terms-elapsed (default deliver), {@code --delay} receipt to first message (default 2s),
 * {@code --outcome-delay} first message to outcome (default 10s). Listens on 127.0.0.1 only; stops on Ctrl-C.
 */
public final class SdiSimulatorMain {

    private SdiSimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 8098;
        URI transmitter = URI.create("https://localhost:8443/TrasmissioneFatture");
        Path hubSecrets = Path.of("data/secrets");
        SdiScenario scenario = SdiScenario.deliver();
        Duration delay = Duration.ofSeconds(2);
        Duration outcomeDelay = Duration.ofSeconds(10);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--port" -> { port = Integer.parseInt(value); i++; }
                case "--transmitter" -> { transmitter = URI.create(value); i++; }
                case "--hub-secrets" -> { hubSecrets = Path.of(value); i++; }
                case "--scenario" -> { scenario = SdiScenario.parse(value); i++; }
                case "--delay" -> { delay = DurationStyle.detectAndParse(value); i++; }
                case "--outcome-delay" -> { outcomeDelay = DurationStyle.detectAndParse(value); i++; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --port, --transmitter, --hub-secrets, --scenario, --delay, --outcome-delay)");
            }
        }
        SimulatorPki pki = new SimulatorPki();
        Path properties = hubSecrets.resolve("secrets.properties");
        String existing = Files.exists(properties) ? Files.readString(properties) : "";
        String password = existing.lines().filter(l -> l.startsWith("keystore-password=")).findFirst()
                .map(l -> l.substring("keystore-password=".length())).orElse(null);
        if (password == null) {
            password = "ks-" + UUID.randomUUID();
            Files.createDirectories(hubSecrets);
            Files.writeString(properties, existing + (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n")
                    + "keystore-password=" + password + "\n");
        }
        pki.writeHubKeystore(hubSecrets, password);
        SdiSimulator simulator = new SdiSimulator(pki.simulatorSettings(transmitter)).defaultScenario(scenario)
                .notificationDelay(delay).outcomeDelay(outcomeDelay).start(port);
        System.out.println("SDI simulator: SdIRiceviFile on " + simulator.endpoint() + " (mutual TLS), messages to " + transmitter
                + "; scenario " + scenario.kind() + "; the hub's certificates are in " + hubSecrets.resolve("certificates.p12"));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        stop.await();
    }
}
