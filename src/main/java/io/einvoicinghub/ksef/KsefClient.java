package io.einvoicinghub.ksef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KSeF 2.0 API as the Ministry of Finance publishes it (CIRFMF/ksef-docs, open-api.json): authentication
 * with a KSeF token, online sessions, encrypted invoices, invoice status, UPO. One method per API call, each
 * doing exactly one HTTP request, so the caller (the pipeline engine) decides about retries, polling and
 * checkpoints; {@link #authenticate} and {@link #sendInvoiceOnce} are the only compositions.
 *
 * <p>Failures are {@link KsefTransientException} (5xx, 408, 429 with Retry-After, timeouts, connection
 * errors) or {@link KsefPermanentException} (other 4xx). Tokens travel only in Authorization headers and
 * never appear in messages, logs or {@code toString()}. Thread-safe.
 */
public class KsefClient {

    /** Form code of FA(3) for {@code POST /sessions/online} (OpenOnlineSessionRequest.formCode). */
    public static final String FA3_SYSTEM_CODE = "FA (3)";
    public static final String FA3_SCHEMA_VERSION = "1-0E";
    public static final String FA3_VALUE = "FA";

    private final KsefEnvironment environment;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper();

    public KsefClient(KsefEnvironment environment, HttpClient http, Duration requestTimeout) {
        this.environment = environment;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /** A client with its own HttpClient (HTTP/1.1, 10 s connect timeout) and a 30 s request timeout. */
    public KsefClient(KsefEnvironment environment) {
        this(environment, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build(), Duration.ofSeconds(30));
    }

    public KsefEnvironment environment() {
        return environment;
    }

    // ------------------------------------------------------------------ keys and authentication

    /** {@code GET /security/public-key-certificates}: the Ministry's keys for token and session-key encryption. */
    public List<PublicKeyCertificate> publicKeyCertificates() {
        JsonNode body = call("public-key-certificates", get("/security/public-key-certificates", null), false);
        List<PublicKeyCertificate> out = new ArrayList<>();
        for (JsonNode c : body) {
            List<String> usage = new ArrayList<>();
            c.path("usage").forEach(u -> usage.add(u.asText()));
            out.add(new PublicKeyCertificate(text(c, "certificate"), text(c, "publicKeyId"), text(c, "validFrom"),
                    text(c, "validTo"), usage));
        }
        return out;
    }

    /** @return the first certificate KSeF lists for {@code purpose} ({@link PublicKeyCertificate#KSEF_TOKEN_ENCRYPTION} …) */
    public PublicKeyCertificate publicKeyFor(String purpose) {
        return publicKeyCertificates().stream().filter(c -> c.usableFor(purpose)).findFirst()
                .orElseThrow(() -> new KsefPermanentException("KSeF lists no public key for " + purpose, 200, List.of()));
    }

    /** {@code POST /auth/challenge}. */
    public AuthChallenge challenge() {
        JsonNode body = call("auth-challenge", post("/auth/challenge", null, json.createObjectNode()), false);
        return new AuthChallenge(text(body, "challenge"), text(body, "timestamp"), body.path("timestampMs").asLong());
    }

    /**
     * {@code POST /auth/ksef-token}: sends {@code ksefToken|timestampMs} encrypted with RSA-OAEP SHA-256 for the
     * Ministry's KsefTokenEncryption key. The token itself is not kept; the caller wipes its char[].
     */
    public AuthOperation startTokenAuthentication(AuthChallenge challenge, ContextIdentifier context, char[] ksefToken,
                                                 PublicKeyCertificate tokenKey) {
        byte[] encrypted = KsefCrypto.encryptKsefToken(ksefToken, challenge.timestampMs(), tokenKey.publicKey());
        ObjectNode request = json.createObjectNode();
        request.put("challenge", challenge.challenge());
        request.putObject("contextIdentifier").put("type", context.type()).put("value", context.value());
        request.put("encryptedToken", Base64.getEncoder().encodeToString(encrypted));
        if (tokenKey.publicKeyId() != null) {
            request.put("publicKeyId", tokenKey.publicKeyId());
        }
        JsonNode body = call("auth-ksef-token", post("/auth/ksef-token", null, request), false);
        return new AuthOperation(text(body, "referenceNumber"), token(body.path("authenticationToken")));
    }

    /** {@code GET /auth/{referenceNumber}} with the temporary authentication token. */
    public AuthStatus authenticationStatus(AuthOperation operation) {
        JsonNode body = call("auth-status", get("/auth/" + path(operation.referenceNumber()), operation.authenticationToken()), false);
        return new AuthStatus(status(body.path("status")));
    }

    /** {@code POST /auth/token/redeem}: the access and refresh tokens; KSeF hands them out once per operation. */
    public AuthTokens redeemTokens(AuthOperation operation) {
        JsonNode body = call("auth-redeem", post("/auth/token/redeem", operation.authenticationToken(), null), false);
        return new AuthTokens(token(body.path("accessToken")), token(body.path("refreshToken")));
    }

    /** {@code POST /auth/token/refresh}: a new access token from a refresh token. */
    public BearerToken refreshAccessToken(BearerToken refreshToken) {
        JsonNode body = call("auth-refresh", post("/auth/token/refresh", refreshToken, null), false);
        return token(body.path("accessToken"));
    }

    /**
     * The whole token login: challenge, encrypted token, status polling until KSeF decides, redeem.
     * Authentication takes KSeF a moment, so this polls every {@code pollInterval} for at most {@code maxWait}.
     *
     * @throws KsefPermanentException when KSeF refuses the token (status 4xx, e.g. 450 wrong token)
     * @throws KsefTransientException when KSeF does not decide within {@code maxWait} or fails on its side
     */
    public AuthTokens authenticate(ContextIdentifier context, char[] ksefToken, Duration pollInterval, Duration maxWait) {
        PublicKeyCertificate key = publicKeyFor(PublicKeyCertificate.KSEF_TOKEN_ENCRYPTION);
        AuthOperation operation = startTokenAuthentication(challenge(), context, ksefToken, key);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            AuthStatus status = authenticationStatus(operation);
            if (status.succeeded()) {
                return redeemTokens(operation);
            }
            if (status.refused()) {
                throw new KsefPermanentException("KSeF refused the authentication " + operation.referenceNumber()
                        + ": " + status.status(), 200, List.of(new KsefError(status.status().code(),
                        status.status().description(), status.status().details())));
            }
            if (!status.inProgress()) {
                throw new KsefTransientException("KSeF authentication " + operation.referenceNumber() + " failed on KSeF's side: "
                        + status.status(), 200, List.of(), false, null);
            }
            if (System.nanoTime() > deadline) {
                throw new KsefTransientException("KSeF authentication " + operation.referenceNumber() + " still in progress after "
                        + maxWait.toSeconds() + " s", 200, List.of(), false, null);
            }
            sleep(pollInterval);
        }
    }

    // ------------------------------------------------------------------ online session

    /**
     * {@code POST /sessions/online} for FA(3): a fresh AES-256 key, sent encrypted for the Ministry's
     * SymmetricKeyEncryption key. The returned session carries the key for {@link #sendInvoice}.
     */
    public OnlineSession openOnlineSession(BearerToken accessToken, PublicKeyCertificate symmetricKeyCertificate) {
        return openOnlineSession(accessToken, symmetricKeyCertificate, SessionKey.generate());
    }

    public OnlineSession openOnlineSession(BearerToken accessToken, PublicKeyCertificate symmetricKeyCertificate, SessionKey key) {
        ObjectNode request = json.createObjectNode();
        request.putObject("formCode").put("systemCode", FA3_SYSTEM_CODE).put("schemaVersion", FA3_SCHEMA_VERSION).put("value", FA3_VALUE);
        ObjectNode encryption = request.putObject("encryption");
        encryption.put("encryptedSymmetricKey", Base64.getEncoder().encodeToString(
                KsefCrypto.rsaOaepEncrypt(symmetricKeyCertificate.publicKey(), key.key())));
        encryption.put("initializationVector", Base64.getEncoder().encodeToString(key.iv()));
        if (symmetricKeyCertificate.publicKeyId() != null) {
            encryption.put("publicKeyId", symmetricKeyCertificate.publicKeyId());
        }
        JsonNode body = call("open-session", post("/sessions/online", accessToken, request), false);
        return new OnlineSession(text(body, "referenceNumber"), text(body, "validUntil"), key);
    }

    /**
     * {@code POST /sessions/online/{ref}/invoices}: the invoice encrypted with the session key, with SHA-256
     * and size of the plain and the encrypted file. KSeF answers 202 and verifies asynchronously; poll
     * {@link #invoiceStatus}. A {@link KsefTransientException} with {@code outcomeUnknown()} means the invoice
     * may have arrived: look it up by hash before sending again ({@link #sendInvoiceOnce}).
     */
    public SentInvoice sendInvoice(BearerToken accessToken, OnlineSession session, byte[] invoiceXml) {
        byte[] encrypted = session.key().encrypt(invoiceXml);
        String hash = KsefCrypto.sha256Base64(invoiceXml);
        ObjectNode request = json.createObjectNode();
        request.put("invoiceHash", hash);
        request.put("invoiceSize", invoiceXml.length);
        request.put("encryptedInvoiceHash", KsefCrypto.sha256Base64(encrypted));
        request.put("encryptedInvoiceSize", encrypted.length);
        request.put("encryptedInvoiceContent", Base64.getEncoder().encodeToString(encrypted));
        request.put("offlineMode", false);
        JsonNode body = call("send-invoice", post("/sessions/online/" + path(session.referenceNumber()) + "/invoices",
                accessToken, request), true);
        return new SentInvoice(text(body, "referenceNumber"), hash, invoiceXml.length, false);
    }

    /**
     * Exactly-once send within a session: if the session already holds an invoice with this hash (a previous
     * attempt whose answer was lost), that one is returned and nothing is sent; otherwise the invoice is sent.
     */
    public SentInvoice sendInvoiceOnce(BearerToken accessToken, OnlineSession session, byte[] invoiceXml) {
        String hash = KsefCrypto.sha256Base64(invoiceXml);
        Optional<InvoiceStatus> present = findInvoiceByHash(accessToken, session.referenceNumber(), hash);
        if (present.isPresent()) {
            return new SentInvoice(present.get().referenceNumber(), hash, invoiceXml.length, true);
        }
        return sendInvoice(accessToken, session, invoiceXml);
    }

    /** {@code GET /sessions/{ref}/invoices/{invoiceRef}}: 100/150 while KSeF works, then 200 with the KSeF number or a rejection. */
    public InvoiceStatus invoiceStatus(BearerToken accessToken, String sessionReference, String invoiceReference) {
        JsonNode body = call("invoice-status", get("/sessions/" + path(sessionReference) + "/invoices/" + path(invoiceReference),
                accessToken), false);
        return invoice(body);
    }

    /** {@code GET /sessions/{ref}/invoices}, every page (x-continuation-token), in KSeF's order. */
    public List<InvoiceStatus> sessionInvoices(BearerToken accessToken, String sessionReference) {
        List<InvoiceStatus> out = new ArrayList<>();
        String continuation = null;
        do {
            HttpRequest.Builder request = get("/sessions/" + path(sessionReference) + "/invoices?pageSize=100", accessToken);
            if (continuation != null) {
                request.header("x-continuation-token", continuation);
            }
            JsonNode body = call("session-invoices", request, false);
            body.path("invoices").forEach(i -> out.add(invoice(i)));
            continuation = body.hasNonNull("continuationToken") && !body.path("continuationToken").asText().isEmpty()
                    ? body.path("continuationToken").asText() : null;
        } while (continuation != null);
        return out;
    }

    /**
     * The session's invoice with this SHA-256 (Base64) of the plain XML, if KSeF holds one: after a lost answer
     * to {@link #sendInvoice} this tells whether the invoice arrived. The newest match wins.
     */
    public Optional<InvoiceStatus> findInvoiceByHash(BearerToken accessToken, String sessionReference, String invoiceHash) {
        List<InvoiceStatus> matches = sessionInvoices(accessToken, sessionReference).stream()
                .filter(i -> invoiceHash.equals(i.invoiceHash())).toList();
        return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(matches.size() - 1));
    }

    /** {@code GET /sessions/{ref}/invoices/{invoiceRef}/upo}: the invoice's UPO (official receipt), XML. */
    public byte[] invoiceUpo(BearerToken accessToken, String sessionReference, String invoiceReference) {
        HttpRequest request = get("/sessions/" + path(sessionReference) + "/invoices/" + path(invoiceReference) + "/upo", accessToken)
                .header("Accept", "application/xml").build();
        return exchange("invoice-upo", request, false).body();
    }

    /**
     * {@code POST /invoices/query/metadata}: one page of the context's invoices as {@code subjectType} Subject1 (seller)
     * or Subject2 (buyer: purchase invoices), by {@code dateType} Issue, Invoicing or PermanentStorage from
     * {@code from} (to {@code to}, or open), oldest first.
     */
    public InvoiceMetadata.Page queryInvoiceMetadata(BearerToken accessToken, String subjectType, String dateType,
                                                     java.time.Instant from, java.time.Instant to, int pageOffset, int pageSize) {
        com.fasterxml.jackson.databind.node.ObjectNode filters = json.createObjectNode().put("subjectType", subjectType);
        com.fasterxml.jackson.databind.node.ObjectNode range = filters.putObject("dateRange").put("dateType", dateType)
                .put("from", from.toString());
        if (to != null) {
            range.put("to", to.toString());
        }
        JsonNode body = call("query-invoice-metadata", post("/invoices/query/metadata?sortOrder=Asc&pageOffset=" + pageOffset
                + "&pageSize=" + pageSize, accessToken, filters), false);
        List<InvoiceMetadata> invoices = new java.util.ArrayList<>();
        for (JsonNode i : body.path("invoices")) {
            invoices.add(new InvoiceMetadata(text(i, "ksefNumber"), text(i, "invoiceNumber"), text(i, "issueDate"),
                    text(i.path("seller"), "nip"), text(i.path("buyer").path("identifier"), "value"),
                    text(i, "permanentStorageDate"), text(i, "invoiceHash")));
        }
        return new InvoiceMetadata.Page(List.copyOf(invoices), body.path("hasMore").asBoolean(false),
                body.path("isTruncated").asBoolean(false), text(body, "permanentStorageHwmDate"));
    }

    /** {@code GET /invoices/ksef/{ksefNumber}}: the invoice XML as stored in KSeF (its seller's or buyer's). */
    public byte[] downloadInvoice(BearerToken accessToken, String ksefNumber) {
        HttpRequest request = get("/invoices/ksef/" + path(ksefNumber), accessToken).header("Accept", "application/xml").build();
        return exchange("download-invoice", request, false).body();
    }

    /** {@code POST /sessions/online/{ref}/close}: ends the session; KSeF then builds the collective session UPO. */
    public void closeSession(BearerToken accessToken, String sessionReference) {
        call("close-session", post("/sessions/online/" + path(sessionReference) + "/close", accessToken, null), false);
    }

    /** {@code GET /sessions/{ref}}. */
    public SessionStatus sessionStatus(BearerToken accessToken, String sessionReference) {
        JsonNode body = call("session-status", get("/sessions/" + path(sessionReference), accessToken), false);
        List<String> upo = new ArrayList<>();
        body.path("upo").path("pages").forEach(p -> upo.add(p.path("referenceNumber").asText()));
        return new SessionStatus(status(body.path("status")), body.path("invoiceCount").asInt(),
                body.path("successfulInvoiceCount").asInt(), body.path("failedInvoiceCount").asInt(), upo);
    }

    // ------------------------------------------------------------------ HTTP

    private HttpRequest.Builder get(String path, BearerToken bearer) {
        return request(path, bearer).GET();
    }

    private HttpRequest.Builder post(String path, BearerToken bearer, JsonNode body) {
        HttpRequest.Builder builder = request(path, bearer);
        if (body == null) {
            return builder.POST(HttpRequest.BodyPublishers.noBody());
        }
        try {
            return builder.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path, BearerToken bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(environment.resolve(path)).timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("X-Error-Format", "problem-details");
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer.token());
        }
        return builder;
    }

    private JsonNode call(String operation, HttpRequest.Builder request, boolean sideEffect) {
        HttpResponse<byte[]> response = exchange(operation, request.build(), sideEffect);
        if (response.body().length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new KsefPermanentException("KSeF " + operation + " answered " + response.statusCode()
                    + " with a body that is not JSON", response.statusCode(), List.of());
        }
    }

    /**
     * One request; maps the outcome to success or a typed failure. {@code sideEffect}: the request changes state
     * at KSeF, so a lost answer leaves its outcome unknown.
     */
    private HttpResponse<byte[]> exchange(String operation, HttpRequest request, boolean sideEffect) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new KsefTransientException("KSeF " + operation + " timed out after " + requestTimeout.toSeconds() + " s",
                    0, List.of(), sideEffect, e);
        } catch (ConnectException e) {
            throw new KsefTransientException("KSeF " + operation + ": cannot connect to " + environment.baseUri().getHost(),
                    0, List.of(), false, e);
        } catch (IOException e) {
            throw new KsefTransientException("KSeF " + operation + ": connection failed before an answer ("
                    + e.getClass().getSimpleName() + ")", 0, List.of(), sideEffect, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KsefTransientException("KSeF " + operation + " interrupted", 0, List.of(), sideEffect, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        List<KsefError> errors = errors(response.body());
        String message = "KSeF " + operation + " answered HTTP " + status + (errors.isEmpty() ? "" : ": " + errors);
        if (status == 429) {
            throw new KsefRateLimitedException(message, retryAfter(response).orElse(null), errors);
        }
        if (status >= 500 || status == 408) {
            throw new KsefTransientException(message, status, errors, sideEffect, null);
        }
        throw new KsefPermanentException(message, status, errors);
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date; KSeF documents seconds
            }
        });
    }

    /** KSeF's two error formats: ExceptionResponse ({@code exception.exceptionDetailList}) and problem details ({@code errors}). */
    private List<KsefError> errors(byte[] body) {
        List<KsefError> out = new ArrayList<>();
        try {
            JsonNode root = json.readTree(body);
            if (root == null) {
                return out;
            }
            for (JsonNode e : root.path("exception").path("exceptionDetailList")) {
                out.add(new KsefError(e.path("exceptionCode").asInt(), e.path("exceptionDescription").asText(null), strings(e.path("details"))));
            }
            for (JsonNode e : root.path("errors")) {
                out.add(new KsefError(e.path("code").asInt(), e.path("description").asText(null), strings(e.path("details"))));
            }
            if (out.isEmpty() && root.has("status") && root.path("status").isObject()) {
                JsonNode s = root.path("status");
                out.add(new KsefError(s.path("code").asInt(), s.path("description").asText(null), strings(s.path("details"))));
            }
            if (out.isEmpty() && root.hasNonNull("detail")) {
                out.add(new KsefError(root.path("status").asInt(), root.path("title").asText(null), List.of(root.path("detail").asText())));
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the HTTP status alone tells the story
        }
        return out;
    }

    private InvoiceStatus invoice(JsonNode i) {
        return new InvoiceStatus(i.path("ordinalNumber").asInt(), text(i, "referenceNumber"), text(i, "invoiceNumber"),
                text(i, "ksefNumber"), text(i, "invoiceHash"), text(i, "acquisitionDate"), text(i, "upoDownloadUrl"),
                status(i.path("status")));
    }

    private static KsefStatus status(JsonNode s) {
        Map<String, String> extensions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("extensions").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            extensions.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        extensions.values().removeIf(v -> v == null);
        return new KsefStatus(s.path("code").asInt(), s.path("description").asText(""), strings(s.path("details")), extensions);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(d -> out.add(d.asText()));
        return out;
    }

    private static BearerToken token(JsonNode t) {
        return new BearerToken(t.path("token").asText(null), t.path("validUntil").asText(null));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KsefTransientException("KSeF authentication polling interrupted", 0, List.of(), false, e);
        }
    }
}
