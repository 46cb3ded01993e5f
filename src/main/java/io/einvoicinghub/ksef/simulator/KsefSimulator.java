package io.einvoicinghub.ksef.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.einvoicinghub.ksef.Fa3SchemaValidator;
import io.einvoicinghub.ksef.KsefCrypto;
import io.einvoicinghub.ksef.KsefNumber;
import io.einvoicinghub.ksef.KsefStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KSeF 2.0 simulator implementing the subset of the Ministry's published API (open-api.json) that the hub
 * uses: token authentication, public key certificates, online sessions, encrypted invoices, invoice status,
 * session invoice lists, UPO, close. It checks what KSeF checks and it can: the challenge and its
 * timestamp, the KSeF token (decrypted with its own private key), bearer tokens and session ownership,
 * hashes and sizes, AES decryption, the official FA(3) XSD, the seller's NIP against the context, the issue
 * date, duplicates (seller NIP + RodzajFaktury + P_2). It answers asynchronously (status 150 until the
 * configured delay has passed), issues KSeF numbers in the official format (CRC-8) and UPO v4-3 receipts,
 * injects faults per operation ({@link SimulatorFault}) and counts the invoices it received per hash.
 *
 * <p>Runs on the JDK's HTTP server, on loopback: embedded in tests ({@code new KsefSimulator(...).start(0)})
 * or standalone ({@link KsefSimulatorMain}). Its key pair is public test material shipped in the jar.
 */
public class KsefSimulator implements AutoCloseable {

    public static final String TOKEN_KEY_ALIAS = "ksef-token-encryption";
    public static final String SYMMETRIC_KEY_ALIAS = "symmetric-key-encryption";

    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final Duration CHALLENGE_TTL = Duration.ofMinutes(10);
    private static final Pattern AUTH_STATUS = Pattern.compile("/auth/([^/]+)");
    private static final Pattern SEND = Pattern.compile("/sessions/online/([^/]+)/invoices");
    private static final Pattern CLOSE = Pattern.compile("/sessions/online/([^/]+)/close");
    private static final Pattern SESSION = Pattern.compile("/sessions/([^/]+)");
    private static final Pattern SESSION_INVOICES = Pattern.compile("/sessions/([^/]+)/invoices");
    private static final Pattern INVOICE = Pattern.compile("/sessions/([^/]+)/invoices/([^/]+)");
    private static final Pattern UPO = Pattern.compile("/sessions/([^/]+)/invoices/([^/]+)/upo");
    private static final Pattern DOWNLOAD = Pattern.compile("/invoices/ksef/([^/]+)");
    private static final Pattern BUYER_NIP = Pattern.compile("<(?:\\w+:)?Podmiot2>.*?<(?:\\w+:)?NIP>([^<]*)</", Pattern.DOTALL);
    private static final Pattern P_2 = Pattern.compile("<(?:\\w+:)?P_2>([^<]*)</");
    private static final Pattern P_1 = Pattern.compile("<(?:\\w+:)?P_1>([^<]*)</");
    private static final Pattern RODZAJ = Pattern.compile("<(?:\\w+:)?RodzajFaktury>([^<]*)</");
    private static final Pattern SELLER_NIP = Pattern.compile("<(?:\\w+:)?Podmiot1>.*?<(?:\\w+:)?NIP>([^<]*)</", Pattern.DOTALL);

    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Fa3SchemaValidator schema;
    private final Clock clock;
    private final PrivateKey tokenKey;
    private final PrivateKey symmetricKey;
    private final List<ObjectNode> certificates = new ArrayList<>();

    private volatile Duration processingDelay = Duration.ZERO;
    private volatile Duration authenticationDelay = Duration.ZERO;
    private volatile Duration accessTokenTtl = Duration.ofMinutes(15);

    private final Map<String, String> ksefTokens = new ConcurrentHashMap<>();          // token -> NIP
    private final Map<String, Long> challenges = new ConcurrentHashMap<>();            // challenge -> timestampMs
    private final Map<String, AuthOp> authOps = new ConcurrentHashMap<>();             // reference -> operation
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Accepted> acceptedByBusinessKey = new ConcurrentHashMap<>(); // NIP|type|number
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();                   // KSeF number -> invoice
    private final Map<String, AtomicInteger> receivedByHash = new ConcurrentHashMap<>();
    /** When each invoice's status was asked for, by invoice reference number: shows who polls how often. */
    private final Map<String, List<Instant>> statusLooks = new ConcurrentHashMap<>();
    private final Map<String, Deque<SimulatorFault>> faults = new ConcurrentHashMap<>();
    private final Deque<KsefStatus> forcedRejections = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** Invoice-status requests per second (epoch second -> count): shows whether the pollers spread or come in herds. */
    private final Map<Long, AtomicInteger> statusRequestsBySecond = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** The hold that invoices received now join (null: none); see {@link #hold()}. */
    private volatile Hold hold;

    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param schemaDir folder with the vendored FA(3) XSD ({@code transformations/ksef/schema})
     * @param clock     time source (tests may pass a fixed clock for the issue-date check)
     */
    public KsefSimulator(Path schemaDir, Clock clock) {
        this.schema = new Fa3SchemaValidator(schemaDir);
        this.clock = clock;
        try (InputStream in = KsefSimulator.class.getResourceAsStream("/ksef/simulator/simulator-keys.p12")) {
            if (in == null) {
                throw new IllegalStateException("simulator key store /ksef/simulator/simulator-keys.p12 missing from the classpath");
            }
            char[] password = "simulator".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            this.tokenKey = (PrivateKey) store.getKey(TOKEN_KEY_ALIAS, password);
            this.symmetricKey = (PrivateKey) store.getKey(SYMMETRIC_KEY_ALIAS, password);
            certificates.add(certificate(store.getCertificate(TOKEN_KEY_ALIAS), "KsefTokenEncryption"));
            certificates.add(certificate(store.getCertificate(SYMMETRIC_KEY_ALIAS), "SymmetricKeyEncryption"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("simulator keys cannot be loaded: " + e.getMessage(), e);
        }
    }

    public KsefSimulator(Path schemaDir) {
        this(schemaDir, Clock.systemUTC());
    }

    public KsefSimulator() {
        this(Fa3SchemaValidator.DEFAULT_SCHEMA_DIR);
    }

    // ------------------------------------------------------------------ lifecycle and configuration

    /** Starts on 127.0.0.1; port 0 picks a free port. */
    public synchronized KsefSimulator start(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("KSeF simulator cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ksef-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/v2/", this::handle);
        server.start();
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** The API root to configure in the client, e.g. {@code http://127.0.0.1:8099/v2}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2");
    }

    /** Accepts {@code ksefToken} for authentication in the context of {@code nip}. */
    public KsefSimulator registerKsefToken(String ksefToken, String nip) {
        ksefTokens.put(ksefToken, nip);
        return this;
    }

    /** How long an invoice stays in status 150 before its verdict is visible. */
    public KsefSimulator processingDelay(Duration delay) {
        this.processingDelay = delay;
        return this;
    }

    /**
     * From now on, received invoices stay in status 150 ("Trwa przetwarzanie") until {@link #release()}, however
     * long the processing delay: thousands of submissions can be kept Pending at once.
     */
    public KsefSimulator hold() {
        hold = new Hold();
        return this;
    }

    /**
     * Ends the hold: the held invoices' verdicts become visible now (or at their processing delay, if later);
     * invoices received from now on are not held. Returns the release time; null when nothing was held.
     */
    public Instant release() {
        Hold ending = hold;
        hold = null;
        if (ending == null) {
            return null;
        }
        ending.releasedAt = clock.instant();
        return ending.releasedAt;
    }

    /** Invoice-status requests in each second of [{@code from}, {@code to}), oldest first (0 for a quiet second). */
    public int[] statusRequestsPerSecond(Instant from, Instant to) {
        long first = from.getEpochSecond();
        int[] counts = new int[(int) Math.max(0, to.getEpochSecond() - first)];
        for (int i = 0; i < counts.length; i++) {
            AtomicInteger n = statusRequestsBySecond.get(first + i);
            counts[i] = n == null ? 0 : n.get();
        }
        return counts;
    }

    /** Invoice-status requests answered so far. */
    public int statusRequestTotal() {
        return statusRequestsBySecond.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** How long an authentication stays in status 100 ("in progress"). */
    public KsefSimulator authenticationDelay(Duration delay) {
        this.authenticationDelay = delay;
        return this;
    }

    public KsefSimulator accessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
        return this;
    }

    /**
     * Injects {@code fault} into the next {@code times} calls of {@code operation}: public-key-certificates,
     * auth-challenge, auth-ksef-token, auth-status, auth-redeem, auth-refresh, open-session, send-invoice,
     * invoice-status, session-invoices, invoice-upo, close-session, session-status.
     */
    public KsefSimulator inject(String operation, SimulatorFault fault, int times) {
        Deque<SimulatorFault> queue = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        }
        return this;
    }

    /** The next invoice that passes every check is rejected with this status instead (e.g. 450 with details). */
    public KsefSimulator rejectNextInvoice(KsefStatus status) {
        synchronized (forcedRejections) {
            forcedRejections.add(status);
        }
        return this;
    }

    /** Clears faults, forced rejections and counters; tokens, sessions and accepted invoices stay. */
    public void resetFaults() {
        faults.clear();
        synchronized (forcedRejections) {
            forcedRejections.clear();
        }
    }

    /** How many send-invoice requests carried an invoice with this SHA-256 (Base64) and got past the envelope checks. */
    /** When KSeF's verdict on each received invoice (by the Base64 SHA-256 of its XML) became available. */
    public Map<String, Instant> readyAtByHash() {
        Map<String, Instant> ready = new java.util.HashMap<>();
        for (Session session : sessions.values()) {
            synchronized (session) {
                for (SessionInvoice invoice : session.invoices()) {
                    ready.merge(invoice.hash(), invoice.readyAt(), (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        return ready;
    }

    /** The times the status of each invoice (by reference number) was asked for, in order. */
    public Map<String, List<Instant>> statusLooks() {
        Map<String, List<Instant>> copy = new java.util.TreeMap<>();
        statusLooks.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    public int receivedCount(String invoiceHash) {
        AtomicInteger n = receivedByHash.get(invoiceHash);
        return n == null ? 0 : n.get();
    }

    /** Invoices received in all sessions. */
    public int receivedTotal() {
        return receivedByHash.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Every HTTP request that reached the simulator, faults included. */
    public int requestCount() {
        return requests.get();
    }

    // ------------------------------------------------------------------ HTTP dispatch

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            try {
                dispatch(exchange);
            } catch (RuntimeException e) {
                problem(exchange, 500, "Internal Server Error", "Simulator error: " + e.getClass().getSimpleName());
            }
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring("/v2".length());
            Route route = route(method, path);
            if (route == null) {
                problem(exchange, 404, "Not Found", "No such KSeF operation: " + method + " " + path);
                return;
            }
            Optional<SimulatorFault> fault = nextFault(route.operation());
            if (fault.isPresent() && fault.get().kind() == SimulatorFault.Kind.HTTP_STATUS) {
                problem(exchange, fault.get().status(), "Simulated failure", "The simulator was told to fail " + route.operation());
                return;
            }
            if (fault.isPresent() && fault.get().kind() == SimulatorFault.Kind.TOO_MANY_REQUESTS) {
                long seconds = fault.get().delay().toSeconds();
                exchange.getResponseHeaders().add("Retry-After", Long.toString(seconds));
                ObjectNode body = json.createObjectNode();
                body.putObject("status").put("code", 429).put("description", "Too Many Requests").putArray("details")
                        .add("Przekroczono limit żądań. Spróbuj ponownie po " + seconds + " sekundach.");
                send(exchange, 429, "application/json", json.writeValueAsBytes(body));
                return;
            }
            if (fault.isPresent() && fault.get().kind() == SimulatorFault.Kind.SLOW_ANSWER) {
                sleep(fault.get().delay());
            }
            Reply reply;
            try {
                reply = route.handler().handle(exchange, route.matcher());
            } catch (ApiError e) {
                reply = e.reply(json);
            }
            if (fault.isPresent() && fault.get().kind() == SimulatorFault.Kind.LOST_RESPONSE) {
                return; // processed, but the connection closes without an answer
            }
            if (reply.headers() != null) {
                reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            }
            send(exchange, reply.status(), reply.contentType(), reply.body());
        }
    }

    private Route route(String method, String path) {
        record Candidate(String method, Pattern pattern, String operation, Handler handler) { }
        List<Candidate> routes = List.of(
                new Candidate("GET", Pattern.compile("/security/public-key-certificates"), "public-key-certificates", this::publicKeys),
                new Candidate("POST", Pattern.compile("/auth/challenge"), "auth-challenge", this::challenge),
                new Candidate("POST", Pattern.compile("/auth/ksef-token"), "auth-ksef-token", this::ksefToken),
                new Candidate("POST", Pattern.compile("/auth/token/redeem"), "auth-redeem", this::redeem),
                new Candidate("POST", Pattern.compile("/auth/token/refresh"), "auth-refresh", this::refresh),
                new Candidate("GET", AUTH_STATUS, "auth-status", this::authStatus),
                new Candidate("POST", Pattern.compile("/sessions/online"), "open-session", this::openSession),
                new Candidate("POST", SEND, "send-invoice", this::sendInvoice),
                new Candidate("POST", CLOSE, "close-session", this::closeSession),
                new Candidate("GET", UPO, "invoice-upo", this::invoiceUpo),
                new Candidate("GET", INVOICE, "invoice-status", this::invoiceStatus),
                new Candidate("GET", SESSION_INVOICES, "session-invoices", this::sessionInvoices),
                new Candidate("GET", SESSION, "session-status", this::sessionStatus),
                new Candidate("POST", Pattern.compile("/invoices/query/metadata"), "query-invoice-metadata", this::queryMetadata),
                new Candidate("GET", DOWNLOAD, "download-invoice", this::downloadInvoice));
        for (Candidate c : routes) {
            Matcher m = c.pattern().matcher(path);
            if (c.method().equals(method) && m.matches()) {
                return new Route(c.operation(), m, c.handler());
            }
        }
        return null;
    }

    private Optional<SimulatorFault> nextFault(String operation) {
        Deque<SimulatorFault> queue = faults.get(operation);
        if (queue == null) {
            return Optional.empty();
        }
        synchronized (queue) {
            return Optional.ofNullable(queue.poll());
        }
    }

    // ------------------------------------------------------------------ security and authentication

    private Reply publicKeys(HttpExchange exchange, Matcher m) throws IOException {
        ArrayNode body = json.createArrayNode();
        certificates.forEach(body::add);
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private Reply challenge(HttpExchange exchange, Matcher m) throws IOException {
        Instant now = clock.instant();
        String challenge = reference(now, "CR");
        challenges.put(challenge, now.toEpochMilli());
        ObjectNode body = json.createObjectNode().put("challenge", challenge).put("timestamp", now.toString())
                .put("timestampMs", now.toEpochMilli()).put("clientIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private Reply ksefToken(HttpExchange exchange, Matcher m) throws IOException {
        JsonNode request = body(exchange);
        String challenge = request.path("challenge").asText("");
        String contextType = request.path("contextIdentifier").path("type").asText("");
        String contextValue = request.path("contextIdentifier").path("value").asText("");
        String encrypted = request.path("encryptedToken").asText("");
        if (contextValue.isEmpty() || encrypted.isEmpty() || !"Nip".equals(contextType)) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "challenge, contextIdentifier (Nip) and encryptedToken are required");
        }
        Long timestampMs = challenges.remove(challenge); // single use
        if (timestampMs == null || clock.millis() - timestampMs > CHALLENGE_TTL.toMillis()) {
            throw ApiError.badRequest(21111, "Nieprawidłowe wyzwanie autoryzacyjne.");
        }
        KsefStatus outcome = tokenOutcome(encrypted, timestampMs, contextValue);
        Instant now = clock.instant();
        String reference = reference(now, "AU");
        String authToken = opaqueToken("at-op");
        authOps.put(reference, new AuthOp(reference, authToken, contextValue, outcome, now.plus(authenticationDelay), new AtomicInteger()));
        ObjectNode body = json.createObjectNode().put("referenceNumber", reference);
        body.putObject("authenticationToken").put("token", authToken).put("validUntil", now.plus(Duration.ofHours(1)).toString());
        return Reply.json(202, json.writeValueAsBytes(body));
    }

    /** Decrypts {@code token|timestampMs} and decides the operation's final status (auth status codes). */
    private KsefStatus tokenOutcome(String encryptedBase64, long challengeTimestampMs, String contextNip) {
        byte[] plain;
        try {
            plain = KsefCrypto.rsaOaepDecrypt(tokenKey, Base64.getDecoder().decode(encryptedBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return KsefStatus.of(450, "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu", "Nieprawidłowy token");
        }
        String text = new String(plain, StandardCharsets.UTF_8);
        java.util.Arrays.fill(plain, (byte) 0);
        int bar = text.lastIndexOf('|');
        if (bar < 0) {
            return KsefStatus.of(450, "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu", "Nieprawidłowy token");
        }
        String token = text.substring(0, bar);
        if (!text.substring(bar + 1).equals(Long.toString(challengeTimestampMs))) {
            return KsefStatus.of(450, "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu", "Nieprawidłowy czas tokena");
        }
        String nip = ksefTokens.get(token);
        if (nip == null) {
            return KsefStatus.of(450, "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu", "Nieprawidłowy token");
        }
        if (!nip.equals(contextNip)) {
            return KsefStatus.of(415, "Uwierzytelnianie zakończone niepowodzeniem", "Brak przypisanych uprawnień");
        }
        return KsefStatus.of(200, "Uwierzytelnianie zakończone sukcesem");
    }

    private Reply authStatus(HttpExchange exchange, Matcher m) throws IOException {
        AuthOp op = authOps.get(m.group(1));
        if (op == null) {
            throw ApiError.badRequest(21304, "Brak uwierzytelnienia.", "Operacja uwierzytelniania o numerze referencyjnym " + m.group(1) + " nie została znaleziona.");
        }
        requireBearer(exchange, op.authenticationToken());
        KsefStatus status = clock.instant().isBefore(op.readyAt()) ? KsefStatus.of(100, "Uwierzytelnianie w toku") : op.outcome();
        ObjectNode body = json.createObjectNode().put("startDate", op.readyAt().minus(authenticationDelay).toString())
                .put("authenticationMethod", "Token");
        body.putObject("authenticationMethodInfo").put("category", "Token").put("code", "token.ksef").put("displayName", "Token KSeF");
        body.set("status", status(status));
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private Reply redeem(HttpExchange exchange, Matcher m) throws IOException {
        AuthOp op = authOps.values().stream().filter(o -> o.authenticationToken().equals(bearer(exchange))).findFirst()
                .orElseThrow(() -> ApiError.unauthorized("Wymagane jest uwierzytelnienie."));
        if (clock.instant().isBefore(op.readyAt()) || op.outcome().code() != 200) {
            throw ApiError.badRequest(21301, "Brak autoryzacji.", "Status uwierzytelniania nie pozwala na pobranie tokenów.");
        }
        if (op.redeemed().getAndIncrement() > 0) {
            throw ApiError.badRequest(21301, "Brak autoryzacji.", "Tokeny dla operacji uwierzytelniania " + op.reference() + " zostały już pobrane.");
        }
        Instant now = clock.instant();
        String access = opaqueToken("access");
        String refresh = opaqueToken("refresh");
        accessTokens.put(access, new Grant(op.nip(), now.plus(accessTokenTtl)));
        refreshTokens.put(refresh, new Grant(op.nip(), now.plus(Duration.ofDays(7))));
        ObjectNode body = json.createObjectNode();
        body.putObject("accessToken").put("token", access).put("validUntil", now.plus(accessTokenTtl).toString());
        body.putObject("refreshToken").put("token", refresh).put("validUntil", now.plus(Duration.ofDays(7)).toString());
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private Reply refresh(HttpExchange exchange, Matcher m) throws IOException {
        Grant grant = refreshTokens.get(bearer(exchange));
        if (grant == null || clock.instant().isAfter(grant.validUntil())) {
            throw ApiError.unauthorized("Refresh token jest nieprawidłowy lub wygasł.");
        }
        Instant now = clock.instant();
        String access = opaqueToken("access");
        accessTokens.put(access, new Grant(grant.nip(), now.plus(accessTokenTtl)));
        ObjectNode body = json.createObjectNode();
        body.putObject("accessToken").put("token", access).put("validUntil", now.plus(accessTokenTtl).toString());
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    // ------------------------------------------------------------------ sessions and invoices

    private Reply openSession(HttpExchange exchange, Matcher m) throws IOException {
        Grant grant = access(exchange);
        JsonNode request = body(exchange);
        JsonNode form = request.path("formCode");
        if (!"FA (3)".equals(form.path("systemCode").asText()) || !"1-0E".equals(form.path("schemaVersion").asText())
                || !"FA".equals(form.path("value").asText())) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "Wskazany kod formularza nie jest wspierany.");
        }
        byte[] iv;
        byte[] key = null;
        try {
            iv = Base64.getDecoder().decode(request.path("encryption").path("initializationVector").asText(""));
        } catch (IllegalArgumentException e) {
            iv = new byte[0];
        }
        if (iv.length != 16) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "Wektor inicjalizujący musi mieć 16 bajtów.");
        }
        try {
            key = KsefCrypto.rsaOaepDecrypt(symmetricKey, Base64.getDecoder().decode(request.path("encryption").path("encryptedSymmetricKey").asText("")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // KSeF opens the session and reports 415 on it
        }
        Instant now = clock.instant();
        String reference = reference(now, "SO");
        KsefStatus status = key != null && key.length == 32 ? KsefStatus.of(100, "Sesja interaktywna otwarta")
                : KsefStatus.of(415, "Błąd odszyfrowania dostarczonego klucza");
        sessions.put(reference, new Session(reference, grant.nip(), key, iv, now, new ArrayList<>(), new ConcurrentHashMap<>(),
                new SessionState(status)));
        ObjectNode body = json.createObjectNode().put("referenceNumber", reference).put("validUntil", now.plus(Duration.ofHours(12)).toString());
        return Reply.json(201, json.writeValueAsBytes(body));
    }

    private Reply sendInvoice(HttpExchange exchange, Matcher m) throws IOException {
        Grant grant = access(exchange);
        Session session = session(m.group(1), grant);
        JsonNode request = body(exchange);
        if (session.state().status.code() != 100) {
            throw ApiError.badRequest(21180, "Status sesji nie pozwala na wykonanie operacji.", "Status sesji " + session.state().status.code() + " uniemożliwia wysyłkę faktur.");
        }
        for (String field : List.of("invoiceHash", "invoiceSize", "encryptedInvoiceHash", "encryptedInvoiceSize", "encryptedInvoiceContent")) {
            if (!request.hasNonNull(field)) {
                throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "Pole " + field + " jest wymagane.");
            }
        }
        byte[] encrypted;
        try {
            encrypted = Base64.getDecoder().decode(request.path("encryptedInvoiceContent").asText());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "encryptedInvoiceContent nie jest poprawnym Base64.");
        }
        if (encrypted.length != request.path("encryptedInvoiceSize").asLong()) {
            throw ApiError.badRequest(21402, "Nieprawidłowy rozmiar pliku.", "Długość treści nie zgadza się z rozmiarem pliku.");
        }
        if (!KsefCrypto.sha256Base64(encrypted).equals(request.path("encryptedInvoiceHash").asText())) {
            throw ApiError.badRequest(21403, "Nieprawidłowy skrót pliku.", "Skrót treści nie zgadza się ze skrótem pliku.");
        }
        String hash = request.path("invoiceHash").asText();
        byte[] xml = null;
        KsefStatus verdict;
        try {
            xml = KsefCrypto.aesDecrypt(encrypted, session.key(), session.iv());
            if (xml.length != request.path("invoiceSize").asLong()) {
                throw ApiError.badRequest(21402, "Nieprawidłowy rozmiar pliku.", "Rozmiar faktury nie zgadza się z invoiceSize.");
            }
            if (!KsefCrypto.sha256Base64(xml).equals(hash)) {
                throw ApiError.badRequest(21403, "Nieprawidłowy skrót pliku.", "Skrót faktury nie zgadza się z invoiceHash.");
            }
            verdict = null;
        } catch (GeneralSecurityException e) {
            verdict = KsefStatus.of(435, "Błąd odszyfrowania pliku");
        }
        receivedByHash.computeIfAbsent(hash, h -> new AtomicInteger()).incrementAndGet();
        Instant now = clock.instant();
        SessionInvoice invoice;
        synchronized (session) {
            int ordinal = session.invoices().size() + 1;
            invoice = new SessionInvoice(ordinal, reference(now, "EE"), hash, now, now.plus(processingDelay), hold, xml);
            decide(session, invoice, verdict);
            session.invoices().add(invoice);
            session.byReference().put(invoice.reference(), invoice);
        }
        return Reply.json(202, json.writeValueAsBytes(json.createObjectNode().put("referenceNumber", invoice.reference())));
    }

    /** The verification KSeF runs after accepting the file (weryfikacja-faktury.md), decided at receipt, shown after the delay. */
    private void decide(Session session, SessionInvoice invoice, KsefStatus decryptionFailure) {
        if (decryptionFailure != null) {
            invoice.verdict = decryptionFailure;
            return;
        }
        String text = new String(invoice.xml(), StandardCharsets.UTF_8);
        invoice.invoiceNumber = first(P_2, text);
        List<String> errors = schema.validate(invoice.xml());
        if (!errors.isEmpty()) {
            invoice.verdict = new KsefStatus(430, "Błąd weryfikacji pliku faktury", errors.stream().limit(5).toList(), Map.of());
            return;
        }
        String sellerNip = first(SELLER_NIP, text);
        if (!session.nip().equals(sellerNip)) {
            invoice.verdict = KsefStatus.of(410, "Nieprawidłowy zakres uprawnień",
                    "Brak uprawnień do wystawienia faktury w imieniu podmiotu " + sellerNip + " w kontekście " + session.nip() + ".");
            return;
        }
        LocalDate issueDate = LocalDate.parse(first(P_1, text));
        if (issueDate.isAfter(LocalDate.now(clock.withZone(WARSAW)))) {
            invoice.verdict = KsefStatus.of(450, "Błąd weryfikacji semantyki dokumentu faktury",
                    "Data wystawienia faktury (P_1) " + issueDate + " jest późniejsza niż data przyjęcia dokumentu do systemu KSeF.");
            return;
        }
        synchronized (forcedRejections) {
            KsefStatus forced = forcedRejections.poll();
            if (forced != null) {
                invoice.verdict = forced;
                return;
            }
        }
        String businessKey = sellerNip + "|" + first(RODZAJ, text) + "|" + invoice.invoiceNumber;
        String ksefNumber = KsefNumber.of(sellerNip, YYYYMMDD.format(invoice.receivedAt().atZone(WARSAW)),
                HexFormat.of().withUpperCase().formatHex(randomBytes(6)));
        Accepted previous = acceptedByBusinessKey.putIfAbsent(businessKey, new Accepted(ksefNumber, session.reference()));
        if (previous != null) {
            invoice.verdict = new KsefStatus(440, "Duplikat faktury", List.of("Duplikat faktury. Faktura o numerze KSeF: "
                    + previous.ksefNumber() + " została już prawidłowo przesłana do systemu w sesji: " + previous.sessionReference()),
                    Map.of("originalSessionReferenceNumber", previous.sessionReference(), "originalKsefNumber", previous.ksefNumber()));
            return;
        }
        invoice.ksefNumber = ksefNumber;
        invoice.verdict = KsefStatus.of(200, "Sukces");
        // in the repository once processing is done: then it can be queried and downloaded (by seller and buyer)
        stored.put(ksefNumber, new Stored(ksefNumber, sellerNip, first(BUYER_NIP, text), invoice.invoiceNumber, issueDate,
                invoice.receivedAt(), invoice.readyAtUnlessHeld(), invoice.hold(), invoice.hash(), invoice.xml()));
    }

    private Reply invoiceStatus(HttpExchange exchange, Matcher m) throws IOException {
        Session session = session(m.group(1), access(exchange));
        Instant now = clock.instant();
        statusLooks.computeIfAbsent(m.group(2), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(now);
        statusRequestsBySecond.computeIfAbsent(now.getEpochSecond(), k -> new AtomicInteger()).incrementAndGet();
        return Reply.json(200, json.writeValueAsBytes(invoiceJson(session, invoice(session, m.group(2)))));
    }

    private Reply sessionInvoices(HttpExchange exchange, Matcher m) throws IOException {
        Session session = session(m.group(1), access(exchange));
        int pageSize = Math.max(10, Math.min(1000, queryInt(exchange, "pageSize", 10)));
        int offset = 0;
        String continuation = exchange.getRequestHeaders().getFirst("x-continuation-token");
        if (continuation != null && !continuation.isEmpty()) {
            try {
                offset = Integer.parseInt(new String(Base64.getDecoder().decode(continuation), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(21418, "Przekazany token kontynuacji ma nieprawidłowy format.");
            }
        }
        List<SessionInvoice> all;
        synchronized (session) {
            all = List.copyOf(session.invoices());
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("invoices");
        for (int i = offset; i < Math.min(all.size(), offset + pageSize); i++) {
            list.add(invoiceJson(session, all.get(i)));
        }
        if (offset + pageSize < all.size()) {
            body.put("continuationToken", Base64.getEncoder().encodeToString(Integer.toString(offset + pageSize).getBytes(StandardCharsets.UTF_8)));
        }
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private Reply invoiceUpo(HttpExchange exchange, Matcher m) {
        Session session = session(m.group(1), access(exchange));
        SessionInvoice invoice = invoice(session, m.group(2));
        if (!ready(invoice) || invoice.ksefNumber == null) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "UPO dla faktury " + invoice.reference() + " nie jest dostępne.");
        }
        byte[] upo = UpoWriter.invoiceUpo(session.reference(), session.nip(), invoice.ksefNumber, invoice.invoiceNumber,
                first(P_1, new String(invoice.xml(), StandardCharsets.UTF_8)), invoice.receivedAt(), invoice.readyAt(), invoice.hash());
        return new Reply(200, "application/xml", upo, Map.of("x-ms-meta-hash", KsefCrypto.sha256Base64(upo)));
    }

    private Reply closeSession(HttpExchange exchange, Matcher m) {
        Session session = session(m.group(1), access(exchange));
        synchronized (session) {
            if (session.state().status.code() != 100) {
                throw ApiError.badRequest(21180, "Status sesji nie pozwala na wykonanie operacji.", "Status sesji " + session.state().status.code() + " uniemożliwia jej zamknięcie.");
            }
            session.state().status = session.invoices().isEmpty() ? KsefStatus.of(440, "Sesja anulowana", "Nie przesłano faktur")
                    : KsefStatus.of(170, "Sesja interaktywna zamknięta");
        }
        return new Reply(204, null, new byte[0], null);
    }

    private Reply sessionStatus(HttpExchange exchange, Matcher m) throws IOException {
        Session session = session(m.group(1), access(exchange));
        List<SessionInvoice> all;
        KsefStatus status;
        synchronized (session) {
            all = List.copyOf(session.invoices());
            status = session.state().status;
        }
        boolean allReady = all.stream().allMatch(this::ready);
        long ok = all.stream().filter(i -> ready(i) && i.verdict.code() == 200).count();
        long failed = all.stream().filter(i -> ready(i) && i.verdict.code() != 200).count();
        if (status.code() == 170 && allReady) {
            status = ok > 0 ? KsefStatus.of(200, "Sesja interaktywna przetworzona pomyślnie")
                    : KsefStatus.of(445, "Błąd weryfikacji, brak poprawnych faktur");
        }
        ObjectNode body = json.createObjectNode();
        body.set("status", status(status));
        body.put("dateCreated", session.createdAt().toString()).put("dateUpdated", clock.instant().toString())
                .put("invoiceCount", all.size()).put("successfulInvoiceCount", ok).put("failedInvoiceCount", failed);
        if (status.code() == 200) {
            body.putObject("upo").putArray("pages").addObject().put("referenceNumber", reference(session.createdAt(), "EU"))
                    .put("downloadUrl", baseUri() + "/sessions/" + session.reference() + "/upo")
                    .put("downloadUrlExpirationDate", clock.instant().plus(Duration.ofDays(3)).toString());
        }
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    private ObjectNode invoiceJson(Session session, SessionInvoice invoice) {
        boolean ready = ready(invoice);
        ObjectNode node = json.createObjectNode().put("ordinalNumber", invoice.ordinal()).put("referenceNumber", invoice.reference())
                .put("invoiceHash", invoice.hash()).put("invoicingDate", invoice.receivedAt().toString()).put("invoicingMode", "Online");
        if (invoice.invoiceNumber != null) {
            node.put("invoiceNumber", invoice.invoiceNumber);
        }
        if (ready && invoice.ksefNumber != null) {
            node.put("ksefNumber", invoice.ksefNumber).put("acquisitionDate", invoice.readyAt().toString())
                    .put("upoDownloadUrl", baseUri() + "/sessions/" + session.reference() + "/invoices/" + invoice.reference() + "/upo")
                    .put("upoDownloadUrlExpirationDate", clock.instant().plus(Duration.ofDays(3)).toString());
        }
        node.set("status", status(ready ? invoice.verdict : KsefStatus.of(150, "Trwa przetwarzanie")));
        return node;
    }

    // ------------------------------------------------------------------ invoices in the repository (pobieranie-faktur)

    /**
     * {@code POST /invoices/query/metadata}: the invoices of the context as seller (Subject1) or buyer (Subject2) in a
     * date range (Issue, Invoicing, PermanentStorage), paged ({@code pageOffset}, {@code pageSize} 10-250,
     * {@code sortOrder}); only invoices whose processing is done are in the repository.
     */
    private Reply queryMetadata(HttpExchange exchange, Matcher m) throws IOException {
        Grant grant = access(exchange);
        JsonNode request = body(exchange);
        Map<String, String> query = queryParameters(exchange);
        String subject = request.path("subjectType").asText("");
        if (!subject.equals("Subject1") && !subject.equals("Subject2")) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.",
                    "subjectType: the simulator answers Subject1 (seller) and Subject2 (buyer), got '" + subject + "'");
        }
        JsonNode range = request.path("dateRange");
        String dateType = range.path("dateType").asText("");
        if (!List.of("Issue", "Invoicing", "PermanentStorage").contains(dateType) || range.path("from").asText("").isEmpty()) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "dateRange: dateType and from are required");
        }
        Instant from;
        Instant to;
        try {
            from = OffsetDateTime.parse(range.path("from").asText()).toInstant();
            to = range.hasNonNull("to") ? OffsetDateTime.parse(range.path("to").asText()).toInstant() : null;
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "dateRange: " + e.getMessage());
        }
        int offset = intParameter(query, "pageOffset", 0, 0, Integer.MAX_VALUE);
        int size = intParameter(query, "pageSize", 10, 10, 250);
        boolean descending = "Desc".equals(query.get("sortOrder"));
        Instant now = clock.instant();
        java.util.function.Function<Stored, Instant> date = switch (dateType) {
            case "Issue" -> s -> s.issueDate().atStartOfDay(WARSAW).toInstant();
            case "Invoicing" -> Stored::invoicingDate;
            default -> Stored::permanentStorageDate;
        };
        List<Stored> matches = stored.values().stream()
                .filter(s -> !now.isBefore(s.permanentStorageDate()))
                .filter(s -> subject.equals("Subject1") ? grant.nip().equals(s.sellerNip()) : grant.nip().equals(s.buyerNip()))
                .filter(s -> !date.apply(s).isBefore(from) && (to == null || !date.apply(s).isAfter(to)))
                .sorted(java.util.Comparator.comparing(date).thenComparing(Stored::ksefNumber))
                .toList();
        if (descending) {
            matches = new java.util.ArrayList<>(matches);
            java.util.Collections.reverse(matches);
        }
        ObjectNode body = json.createObjectNode();
        int start = (int) Math.min((long) offset * size, matches.size());
        int end = Math.min(start + size, matches.size());
        body.put("hasMore", end < matches.size());
        body.put("isTruncated", false);
        if (dateType.equals("PermanentStorage")) {
            body.put("permanentStorageHwmDate", now.toString());
        }
        ArrayNode items = body.putArray("invoices");
        for (Stored s : matches.subList(start, end)) {
            ObjectNode item = items.addObject();
            item.put("ksefNumber", s.ksefNumber()).put("invoiceNumber", s.invoiceNumber()).put("issueDate", s.issueDate().toString())
                    .put("invoicingDate", s.invoicingDate().toString()).put("acquisitionDate", s.permanentStorageDate().toString())
                    .put("permanentStorageDate", s.permanentStorageDate().toString());
            item.putObject("seller").put("nip", s.sellerNip());
            item.putObject("buyer").putObject("identifier").put("type", s.buyerNip() == null ? "None" : "Nip").put("value", s.buyerNip());
            item.put("invoiceHash", s.hash()).put("invoicingMode", "Online").put("invoiceType", "Vat").put("currency", "PLN")
                    .put("isSelfInvoicing", false).put("hasAttachment", false);
            item.putObject("formCode").put("systemCode", "FA (3)").put("schemaVersion", "1-0E").put("value", "FA");
        }
        return Reply.json(200, json.writeValueAsBytes(body));
    }

    /** {@code GET /invoices/ksef/{ksefNumber}}: the invoice XML, for its seller or buyer; 21164 unknown, 21165 not yet. */
    private Reply downloadInvoice(HttpExchange exchange, Matcher m) {
        Grant grant = access(exchange);
        String ksefNumber = m.group(1);
        Stored s = stored.get(ksefNumber);
        if (s == null || !grant.nip().equals(s.sellerNip()) && !grant.nip().equals(s.buyerNip())) {
            throw ApiError.badRequest(21164, "Faktura o podanym identyfikatorze nie istnieje.",
                    "Faktura o numerze KSeF " + ksefNumber + " nie została znaleziona.");
        }
        if (clock.instant().isBefore(s.permanentStorageDate())) {
            throw ApiError.badRequest(21165, "Faktura o podanym numerze KSeF nie jest jeszcze dostępna.", "Faktura o numerze KSeF "
                    + ksefNumber + " została przetworzona, ale nie jest jeszcze dostępna do pobrania. Spróbuj ponownie później.");
        }
        return new Reply(200, "application/xml", s.xml(), Map.of("x-ms-meta-hash", s.hash()));
    }

    private static Map<String, String> queryParameters(HttpExchange exchange) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return parameters;
    }

    private static int intParameter(Map<String, String> query, String name, int fallback, int min, int max) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", name + " must be " + min + "-" + max + ", got '" + value + "'");
    }

    private boolean ready(SessionInvoice invoice) {
        return !clock.instant().isBefore(invoice.readyAt());
    }

    // ------------------------------------------------------------------ helpers

    private Grant access(HttpExchange exchange) {
        Grant grant = accessTokens.get(bearer(exchange));
        if (grant == null) {
            throw ApiError.unauthorized("Wymagane jest uwierzytelnienie.");
        }
        if (clock.instant().isAfter(grant.validUntil())) {
            throw ApiError.unauthorized("Token dostępu wygasł.");
        }
        return grant;
    }

    private void requireBearer(HttpExchange exchange, String expected) {
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), bearer(exchange).getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized("Wymagane jest uwierzytelnienie.");
        }
    }

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ") ? header.substring(7) : "";
    }

    private Session session(String reference, Grant grant) {
        Session session = sessions.get(reference);
        if (session == null) {
            throw ApiError.badRequest(21173, "Brak sesji o wskazanym numerze referencyjnym.", "Sesja o numerze referencyjnym " + reference + " nie została odnaleziona.");
        }
        if (!session.nip().equals(grant.nip())) {
            throw ApiError.forbidden("Sesja należy do innego kontekstu.");
        }
        return session;
    }

    private static SessionInvoice invoice(Session session, String reference) {
        // an index, not a scan: a session may hold thousands of invoices that are polled at once
        return Optional.ofNullable(session.byReference().get(reference))
                    .orElseThrow(() -> ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "Faktura " + reference + " nie została odnaleziona w sesji."));
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        try {
            JsonNode node = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            return node == null ? json.createObjectNode() : node;
        } catch (IOException e) {
            throw ApiError.badRequest(21405, "Błąd walidacji danych wejściowych.", "Treść żądania nie jest poprawnym JSON.");
        }
    }

    private static int queryInt(HttpExchange exchange, String name, int fallback) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    try {
                        return Integer.parseInt(pair.substring(name.length() + 1));
                    } catch (NumberFormatException e) {
                        return fallback;
                    }
                }
            }
        }
        return fallback;
    }

    private ObjectNode status(KsefStatus status) {
        ObjectNode node = json.createObjectNode().put("code", status.code()).put("description", status.description());
        if (!status.details().isEmpty()) {
            ArrayNode details = node.putArray("details");
            status.details().forEach(details::add);
        }
        if (!status.extensions().isEmpty()) {
            ObjectNode ext = node.putObject("extensions");
            status.extensions().forEach(ext::put);
        }
        return node;
    }

    private ObjectNode certificate(Certificate certificate, String usage) throws GeneralSecurityException {
        byte[] der = certificate.getEncoded();
        Instant now = clock.instant();
        ObjectNode node = json.createObjectNode()
                .put("certificate", Base64.getEncoder().encodeToString(der))
                .put("certificateId", KsefCrypto.sha256Base64(der))
                .put("publicKeyId", KsefCrypto.sha256Base64(certificate.getPublicKey().getEncoded()))
                .put("validFrom", now.minus(Duration.ofDays(1)).toString())
                .put("validTo", now.plus(Duration.ofDays(3650)).toString());
        node.putArray("usage").add(usage);
        return node;
    }

    /** A KSeF-style reference number: {@code YYYYMMDD-XX-HHHHHHHHHH-HHHHHHHHHH-HH} (36 characters). */
    private String reference(Instant at, String type) {
        HexFormat hex = HexFormat.of().withUpperCase();
        return YYYYMMDD.format(at.atZone(WARSAW)) + "-" + type + "-" + hex.formatHex(randomBytes(5)) + "-"
                + hex.formatHex(randomBytes(5)) + "-" + hex.formatHex(randomBytes(1));
    }

    private String opaqueToken(String kind) {
        return "sim-" + kind + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1).trim() : "";
    }

    private void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        ObjectNode body = json.createObjectNode().put("title", title).put("status", status).put("detail", detail)
                .put("instance", exchange.getRequestURI().getPath()).put("timestamp", clock.instant().toString());
        send(exchange, status, "application/problem+json", json.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ state

    private record Route(String operation, Matcher matcher, Handler handler) { }

    @FunctionalInterface
    private interface Handler {
        Reply handle(HttpExchange exchange, Matcher matcher) throws IOException;
    }

    private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply json(int status, byte[] body) {
            return new Reply(status, "application/json", body, null);
        }
    }

    private record AuthOp(String reference, String authenticationToken, String nip, KsefStatus outcome, Instant readyAt,
                          AtomicInteger redeemed) { }

    private record Grant(String nip, Instant validUntil) { }

    private record Accepted(String ksefNumber, String sessionReference) { }

    /** An accepted invoice in the repository: seller, buyer, dates (invoicing = received, stored = processing done). */
    private record Stored(String ksefNumber, String sellerNip, String buyerNip, String invoiceNumber, LocalDate issueDate,
                          Instant invoicingDate, Instant permanentStorageDate, Hold hold, String hash, byte[] xml) {
        /** In the repository once processing is done: for a held invoice, not before the hold's release. */
        @Override
        public Instant permanentStorageDate() {
            return Hold.readyAt(hold, permanentStorageDate);
        }
    }

    /** A hold period ({@link #hold()} to {@link #release()}): its invoices stay in status 150 until it ends. */
    private static final class Hold {
        volatile Instant releasedAt;

        /** When an invoice ready at {@code readyAt} without a hold is ready under {@code hold} (null: no hold). */
        static Instant readyAt(Hold hold, Instant readyAt) {
            if (hold == null) {
                return readyAt;
            }
            Instant released = hold.releasedAt;
            return released == null ? Instant.MAX : released.isAfter(readyAt) ? released : readyAt;
        }
    }

    private static final class SessionState {
        KsefStatus status;

        SessionState(KsefStatus status) {
            this.status = status;
        }
    }

    private record Session(String reference, String nip, byte[] key, byte[] iv, Instant createdAt,
                           List<SessionInvoice> invoices, Map<String, SessionInvoice> byReference, SessionState state) { }

    private static final class SessionInvoice {
        private final int ordinal;
        private final String reference;
        private final String hash;
        private final Instant receivedAt;
        private final Instant readyAt;
        private final Hold hold;
        private final byte[] xml;
        volatile String invoiceNumber;
        volatile String ksefNumber;
        volatile KsefStatus verdict;

        SessionInvoice(int ordinal, String reference, String hash, Instant receivedAt, Instant readyAt, Hold hold, byte[] xml) {
            this.hold = hold;
            this.ordinal = ordinal;
            this.reference = reference;
            this.hash = hash;
            this.receivedAt = receivedAt;
            this.readyAt = readyAt;
            this.xml = xml;
        }

        int ordinal() { return ordinal; }
        String reference() { return reference; }
        String hash() { return hash; }
        Instant receivedAt() { return receivedAt; }
        /** When the verdict is visible: after the processing delay and, if held, not before the release. */
        Instant readyAt() { return Hold.readyAt(hold, readyAt); }
        Instant readyAtUnlessHeld() { return readyAt; }
        Hold hold() { return hold; }
        byte[] xml() { return xml; }
    }

    /** A KSeF error answer: thrown by a handler, rendered in KSeF's problem-details format. */
    private static final class ApiError extends RuntimeException {
        private final int status;
        private final Integer code;
        private final String description;
        private final List<String> details;

        private ApiError(int status, Integer code, String description, List<String> details) {
            super(description, null, false, false);
            this.status = status;
            this.code = code;
            this.description = description;
            this.details = details;
        }

        static ApiError badRequest(int code, String description, String... details) {
            return new ApiError(400, code, description, List.of(details));
        }

        static ApiError unauthorized(String detail) {
            return new ApiError(401, null, detail, List.of());
        }

        static ApiError forbidden(String detail) {
            return new ApiError(403, null, detail, List.of());
        }

        Reply reply(ObjectMapper json) throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            if (status == 400) {
                body.put("title", "Bad Request");
                body.put("status", 400);
                body.put("detail", "Żądanie jest nieprawidłowe.");
                body.put("errors", List.of(Map.of("code", code, "description", description, "details", details)));
            } else {
                body.put("title", status == 401 ? "Unauthorized" : "Forbidden");
                body.put("status", status);
                body.put("detail", description);
            }
            body.put("timestamp", Instant.now().toString());
            return new Reply(status, "application/problem+json", json.writeValueAsBytes(body), null);
        }
    }
}
