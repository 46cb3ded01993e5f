package io.einvoicinghub.sdi.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import eu.europa.esig.dss.enumerations.DigestAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureAlgorithm;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SignaturePackaging;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.SignatureValue;
import eu.europa.esig.dss.model.ToBeSigned;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.signature.XAdESService;
import io.einvoicinghub.sdi.SdiFileName;
import io.einvoicinghub.sdi.SdiNotification;
import io.einvoicinghub.sdi.SdiSoap;
import io.einvoicinghub.sdi.SdiXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Sistema di Interscambio simulator for the SDICoop transmitter channel: it exposes {@code SdIRiceviFile} over SOAP
 * on HTTPS with mutual TLS (a client without a certificate from a trusted CA is refused in the handshake), checks each
 * file as SDI does ({@link SdiFileChecks}, plus duplicate file names 00002 and duplicate invoices 00404), answers with
 * an IdentificativoSdI or EI01/EI02, and then — asynchronously, after configurable delays — calls the transmitter's
 * {@code TrasmissioneFatture} endpoint (mutual TLS again, with its own client certificate) with XAdES-signed message
 * files named by SDI's rule ({@code <file>_<type>_<nnn>.xml}): RC, NS, MC, NE, AT, DT according to the file's
 * {@link SdiScenario}. Faults ({@link SdiFault}) can be injected into the next RiceviFile calls. It counts every call
 * and every file it took, by file name, so tests can prove a file reached SDI once.
 *
 * <p>Embedded in tests or standalone ({@link SdiSimulatorMain}); listens on loopback.
 */
public class SdiSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SdiSimulator.class);
    private static final ZoneId ROME = ZoneId.of("Europe/Rome");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /** The simulator's keys: its TLS server identity, the CAs whose clients it accepts, its client identity and its message-signing key. */
    public record Settings(SSLContext serverTls, SSLContext clientTls, URI transmitterEndpoint, List<X509Certificate> trustedSigners,
                           PrivateKey messageKey, List<X509Certificate> messageChain) {
    }

    /** A file SDI took and checked (empty files and faults that refuse are not files); errors empty when it passed. */
    public record ReceivedFile(String identificativoSdI, String fileName, String receivedAt, String format, String recipientCode,
                               List<SdiNotification.Error> errors, SdiScenario scenario) {
    }

    /** A message SDI delivered (or tried to) to the transmitter. */
    public record SentMessage(String identificativoSdI, String invoiceFile, SdiNotification.Type type, String messageFile,
                              byte[] signedXml, boolean delivered, int attempts) {
    }

    private final Settings settings;
    private final SdiFileChecks checks;
    private final HttpClient notifier;
    private final AtomicLong nextId = new AtomicLong(100_000_000L + (System.currentTimeMillis() % 1_000_000L) * 100);
    private final AtomicInteger messageIds = new AtomicInteger(1);
    private final Map<String, AtomicInteger> callsByName = new ConcurrentHashMap<>();
    private final Map<String, String> namesTaken = new ConcurrentHashMap<>();
    private final Map<String, List<ReceivedFile>> filesByName = new ConcurrentHashMap<>();
    private final Map<String, String> invoicesByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> messageCounters = new ConcurrentHashMap<>();
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
    private final Deque<SdiFault> faults = new ArrayDeque<>();
    private final Map<String, SdiScenario> scenariosByMarker = new LinkedHashMap<>();

    private volatile SdiScenario defaultScenario = SdiScenario.deliver();
    private volatile Duration notificationDelay = Duration.ofMillis(300);
    private volatile Duration outcomeDelay = Duration.ofMillis(500);
    private volatile int deliveryAttempts = 5;
    private volatile Duration deliveryRetry = Duration.ofMillis(500);

    private HttpsServer server;
    private ExecutorService handlers;
    private ScheduledExecutorService scheduler;

    public SdiSimulator(Settings settings) {
        this.settings = settings;
        this.checks = new SdiFileChecks(settings.trustedSigners());
        this.notifier = HttpClient.newBuilder().sslContext(settings.clientTls()).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    // ---- configuration --------------------------------------------------------------------------------------------

    public SdiSimulator defaultScenario(SdiScenario scenario) {
        this.defaultScenario = scenario;
        return this;
    }

    /** Files whose invoice XML contains {@code marker} (e.g. an invoice number) get {@code scenario}. */
    public SdiSimulator scenarioFor(String marker, SdiScenario scenario) {
        synchronized (scenariosByMarker) {
            scenariosByMarker.put(marker, scenario);
        }
        return this;
    }

    /** Time from a file's receipt to its first message (RC, NS or MC). */
    public SdiSimulator notificationDelay(Duration delay) {
        this.notificationDelay = delay;
        return this;
    }

    /** Time from the first message to the outcome that follows it (NE, DT after RC; AT after MC). */
    public SdiSimulator outcomeDelay(Duration delay) {
        this.outcomeDelay = delay;
        return this;
    }

    /** How often and how far apart SDI tries to deliver a message the transmitter does not take. */
    public SdiSimulator delivery(int attempts, Duration retry) {
        this.deliveryAttempts = attempts;
        this.deliveryRetry = retry;
        return this;
    }

    public void failNext(SdiFault fault) {
        synchronized (faults) {
            faults.add(fault);
        }
    }

    // ---- what happened --------------------------------------------------------------------------------------------

    /** RiceviFile calls that named {@code fileName}, whatever became of them. */
    public int calls(String fileName) {
        AtomicInteger n = callsByName.get(fileName);
        return n == null ? 0 : n.get();
    }

    /** Files SDI took under {@code fileName} (each has its own IdentificativoSdI; a duplicate name is one more, rejected 00002). */
    public List<ReceivedFile> files(String fileName) {
        return List.copyOf(filesByName.getOrDefault(fileName, List.of()));
    }

    /** Files under {@code fileName} that passed SDI's checks: at most one, however often the transmitter sent it. */
    public long acceptedFiles(String fileName) {
        return files(fileName).stream().filter(f -> f.errors().isEmpty()).count();
    }

    public List<SentMessage> messages(String fileName) {
        return sent.stream().filter(m -> m.invoiceFile().equals(fileName)).toList();
    }

    // ---- life cycle -----------------------------------------------------------------------------------------------

    public SdiSimulator start(int port) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(settings.serverTls()) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true); // SDICoop is mutual TLS: no client certificate, no service
                params.setSSLParameters(ssl);
            }
        });
        handlers = Executors.newFixedThreadPool(8);
        scheduler = Executors.newScheduledThreadPool(4);
        server.setExecutor(handlers);
        server.createContext("/SdIRiceviFile", this::riceviFile);
        server.start();
        return this;
    }

    public URI endpoint() {
        return URI.create("https://localhost:" + server.getAddress().getPort() + "/SdIRiceviFile");
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (handlers != null) {
            handlers.shutdownNow();
        }
    }

    // ---- SdIRiceviFile --------------------------------------------------------------------------------------------

    private void riceviFile(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, SdiSoap.fault("Client", "SdIRiceviFile takes POST"));
                return;
            }
            SdiSoap.FileSubmission submission;
            try (InputStream in = exchange.getRequestBody()) {
                submission = SdiSoap.parseRiceviFileRequest(in.readAllBytes());
            } catch (SdiXml.SdiMessageException e) {
                send(exchange, 500, SdiSoap.fault("Client", "not a RiceviFile request: " + e.getMessage()));
                return;
            }
            callsByName.computeIfAbsent(submission.fileName(), k -> new AtomicInteger()).incrementAndGet();
            Optional<SdiFault> fault = nextFault();
            if (fault.isPresent() && fault.get().kind() == SdiFault.Kind.HTTP_STATUS) {
                send(exchange, fault.get().status(), SdiSoap.fault("Server", "simulated failure"));
                return;
            }
            OffsetDateTime now = OffsetDateTime.now(ROME).truncatedTo(ChronoUnit.MILLIS);
            String id = Long.toString(nextId.getAndIncrement());
            if (fault.isPresent() && fault.get().kind() == SdiFault.Kind.UNAVAILABLE) {
                send(exchange, 200, SdiSoap.riceviFileAnswer(new SdiSoap.ReceiptAnswer(id, now.format(DATE_TIME), "EI02")));
                return;
            }
            if (submission.file().length == 0) {
                send(exchange, 200, SdiSoap.riceviFileAnswer(new SdiSoap.ReceiptAnswer(id, now.format(DATE_TIME), "EI01")));
                return;
            }
            String earlier = namesTaken.putIfAbsent(submission.fileName(), id); // SDI's name check is atomic, its other checks come later
            String receivedAt = now.format(DATE_TIME);
            Runnable process = () -> {
                try {
                    firstMessage(take(id, submission, now, earlier), submission);
                } catch (RuntimeException e) {
                    LOG.error("SDI simulator failed on {} ({}): {}", submission.fileName(), id, e.toString(), e);
                }
            };
            if (fault.isPresent() && fault.get().kind() == SdiFault.Kind.NOTIFY_BEFORE_ANSWER) {
                process.run();
            } else {
                scheduler.schedule(process, notificationDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (fault.isPresent() && fault.get().kind() == SdiFault.Kind.SLOW_ANSWER) {
                sleep(fault.get().delay());
            }
            if (fault.isPresent() && fault.get().kind() == SdiFault.Kind.LOST_RESPONSE) {
                LOG.info("SDI simulator took {} as {} and drops the answer", submission.fileName(), id);
                return; // the file is taken; the connection closes without an answer
            }
            send(exchange, 200, SdiSoap.riceviFileAnswer(new SdiSoap.ReceiptAnswer(id, receivedAt, null)));
        }
    }

    /**
     * SDI's checks on a taken file, in SDI's order: a name already taken (00002) ends them; then the file's own checks
     * ({@link SdiFileChecks}), the duplicate invoice (00404) and the scenario's forced errors.
     */
    private ReceivedFile take(String id, SdiSoap.FileSubmission submission, OffsetDateTime now, String earlierId) {
        String receivedAt = now.format(DATE_TIME);
        if (earlierId != null) {
            return record(new ReceivedFile(id, submission.fileName(), receivedAt, null, null, List.of(new SdiNotification.Error(
                    SdiErrors.DUPLICATE_NAME, SdiErrors.description(SdiErrors.DUPLICATE_NAME) + ": file già ricevuto con identificativo "
                    + earlierId)), defaultScenario), null);
        }
        SdiFileChecks.Result result = checks.check(submission.fileName(), submission.file(), now.toLocalDate());
        List<SdiNotification.Error> errors = new ArrayList<>(result.errors());
        SdiScenario scenario = scenario(new String(result.xml(), java.nio.charset.StandardCharsets.UTF_8));
        synchronized (invoicesByKey) {
            if (errors.isEmpty() && result.invoiceKey() != null && invoicesByKey.containsKey(result.invoiceKey())) {
                errors.add(new SdiNotification.Error(SdiErrors.DUPLICATE_INVOICE, SdiErrors.description(SdiErrors.DUPLICATE_INVOICE)
                        + ": già trasmessa con identificativo " + invoicesByKey.get(result.invoiceKey())));
            }
            if (errors.isEmpty() && scenario.kind() == SdiScenario.Kind.REJECT) {
                errors.addAll(scenario.errors());
            }
            if (errors.isEmpty() && result.invoiceKey() != null) {
                invoicesByKey.put(result.invoiceKey(), id);
            }
        }
        return record(new ReceivedFile(id, submission.fileName(), receivedAt, result.format(), result.recipientCode(),
                List.copyOf(errors), scenario), result);
    }

    private ReceivedFile record(ReceivedFile file, SdiFileChecks.Result result) {
        filesByName.computeIfAbsent(file.fileName(), k -> new CopyOnWriteArrayList<>()).add(file);
        LOG.info("SDI simulator took {} as {} ({}; {})", file.fileName(), file.identificativoSdI(), file.format(),
                file.errors().isEmpty() ? file.scenario().kind() : "errors " + file.errors().stream().map(SdiNotification.Error::code).toList());
        return file;
    }

    private SdiScenario scenario(String xml) {
        synchronized (scenariosByMarker) {
            return scenariosByMarker.entrySet().stream().filter(e -> xml.contains(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(defaultScenario);
        }
    }

    // ---- the messages ---------------------------------------------------------------------------------------------

    private void firstMessage(ReceivedFile file, SdiSoap.FileSubmission submission) {
        if (!file.errors().isEmpty()) {
            deliver(file, new SdiNotification(SdiNotification.Type.NS, file.identificativoSdI(), file.fileName(), file.receivedAt(),
                    file.errors(), null, null, messageId(), null), submission);
            return;
        }
        boolean pa = "FPA12".equals(file.format());
        switch (file.scenario().kind()) {
            case NOT_DELIVERABLE -> {
                deliver(file, notification(file, SdiNotification.Type.MC, null, file.scenario().description()), submission);
                if (pa) {
                    later(() -> deliver(file, notification(file, SdiNotification.Type.AT, null, null), submission));
                }
            }
            case PA_ACCEPT, PA_REFUSE, TERMS_ELAPSED -> {
                deliver(file, notification(file, SdiNotification.Type.RC, null, null), submission);
                SdiScenario.Kind kind = file.scenario().kind();
                later(() -> deliver(file, kind == SdiScenario.Kind.TERMS_ELAPSED
                        ? notification(file, SdiNotification.Type.DT, null, file.scenario().description())
                        : notification(file, SdiNotification.Type.NE, kind == SdiScenario.Kind.PA_ACCEPT ? "EC01" : "EC02",
                        file.scenario().description()), submission));
            }
            default -> deliver(file, notification(file, SdiNotification.Type.RC, null, null), submission);
        }
    }

    private void later(Runnable task) {
        scheduler.schedule(task, outcomeDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SdiNotification notification(ReceivedFile file, SdiNotification.Type type, String esito, String description) {
        return new SdiNotification(type, file.identificativoSdI(), file.fileName(), file.receivedAt(), List.of(), esito,
                description, messageId(), null);
    }

    private String messageId() {
        return Integer.toString(messageIds.getAndIncrement());
    }

    private void deliver(ReceivedFile file, SdiNotification notification, SdiSoap.FileSubmission submission) {
        int n = messageCounters.computeIfAbsent(file.identificativoSdI(), k -> new AtomicInteger()).incrementAndGet();
        String messageFile = SdiFileName.message(file.fileName(), notification.type().name(), n);
        // Destinatario/Codice is a six-character office code (MessaggiTypes); a seven-character B2B code does not fit
        String recipient = file.recipientCode() != null && file.recipientCode().length() == 6 ? file.recipientCode() : "000000";
        byte[] xml = sign(notification.toXml(recipient, "Destinatario " + recipient, sha256(submission.file())));
        SdiSoap.Operation operation = SdiSoap.Operation.ofMessageType(notification.type().name());
        byte[] envelope = SdiSoap.messageDelivery(new SdiSoap.MessageDelivery(operation.name(), file.identificativoSdI(), messageFile, xml));
        HttpRequest request = HttpRequest.newBuilder(settings.transmitterEndpoint()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", SdiSoap.CONTENT_TYPE).header("SOAPAction", "\"" + operation.soapAction() + "\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build();
        for (int attempt = 1; attempt <= deliveryAttempts; attempt++) {
            try {
                HttpResponse<String> response = notifier.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    sent.add(new SentMessage(file.identificativoSdI(), file.fileName(), notification.type(), messageFile, xml, true, attempt));
                    LOG.info("SDI simulator delivered {} ({}) for {}", messageFile, operation, file.identificativoSdI());
                    return;
                }
                LOG.info("SDI simulator: the transmitter answered {} to {} (attempt {})", response.statusCode(), messageFile, attempt);
            } catch (IOException e) {
                LOG.info("SDI simulator could not deliver {} (attempt {}): {}", messageFile, attempt, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(deliveryRetry);
        }
        sent.add(new SentMessage(file.identificativoSdI(), file.fileName(), notification.type(), messageFile, xml, false, deliveryAttempts));
    }

    /** XAdES-B-B enveloped, as SDI signs its message files (MessaggiTypes wants ds:Signature as the last child). */
    private byte[] sign(byte[] xml) {
        X509Certificate certificate = settings.messageChain().get(0);
        XAdESService service = new XAdESService(new CommonCertificateVerifier());
        XAdESSignatureParameters parameters = new XAdESSignatureParameters();
        parameters.setSignatureLevel(SignatureLevel.XAdES_BASELINE_B);
        parameters.setSignaturePackaging(SignaturePackaging.ENVELOPED);
        parameters.setDigestAlgorithm(DigestAlgorithm.SHA256);
        parameters.setSigningCertificate(new CertificateToken(certificate));
        parameters.setCertificateChain(settings.messageChain().stream().map(CertificateToken::new).toList());
        DSSDocument document = new InMemoryDocument(xml);
        ToBeSigned toBeSigned = service.getDataToSign(document, parameters);
        try {
            boolean rsa = "RSA".equals(settings.messageKey().getAlgorithm());
            Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
            signer.initSign(settings.messageKey());
            signer.update(toBeSigned.getBytes());
            SignatureValue value = new SignatureValue(rsa ? SignatureAlgorithm.RSA_SHA256 : SignatureAlgorithm.ECDSA_SHA256, signer.sign());
            try (InputStream in = service.signDocument(document, parameters, value).openStream()) {
                return in.readAllBytes();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the simulator cannot sign its message: " + e.getMessage(), e);
        }
    }

    private Optional<SdiFault> nextFault() {
        synchronized (faults) {
            return Optional.ofNullable(faults.poll());
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", SdiSoap.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
