package io.einvoicinghub.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local TLS server of the project's own (no Key Vault emulator can be had here) that speaks the subset of the
 * Azure Key Vault REST API and of the Entra ID token endpoint that the Azure SDK's {@code SecretClient} and
 * {@code ClientSecretCredential} use:
 * <ul>
 *   <li>{@code GET /secrets/{name}[/{version}]?api-version=…}: the secret bundle ({@code value}, {@code id} with the
 *       version, {@code contentType}, {@code attributes}); 404 with Key Vault's error body
 *       {@code {"error":{"code":"SecretNotFound",…}}} for an unknown name or version;</li>
 *   <li>the bearer challenge: a request without a valid token gets 401 with
 *       {@code WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>", resource="https://vault.azure.net"}
 *       (as Key Vault answers; the SDK then needs {@code disableChallengeResourceVerification}, since this host is
 *       not under vault.azure.net);</li>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token} (client credentials grant, checks client id, secret and the
 *       {@code https://vault.azure.net/.default} scope) answering an opaque access token; point the credential's
 *       authority host at {@link #baseUrl()};</li>
 *   <li>faults: {@link #failNext(int, int)} answers the next secret reads with an HTTP status.</li>
 * </ul>
 * New versions are added with {@link #setSecret}; the newest enabled one is the current version, as in Key Vault.
 */
public final class KeyVaultTestServer implements AutoCloseable {

    public static final String RESOURCE = "https://vault.azure.net";
    public static final String PKCS12_CONTENT_TYPE = "application/x-pkcs12";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Version(String id, String value, String contentType, Instant created) {
    }

    private final String tenantId;
    private final String clientId;
    private final String clientSecret;
    private final SelfSignedTls tls = SelfSignedTls.generate("localhost");
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "key-vault-test-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger challenges = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger secretReads = new AtomicInteger();
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private volatile int faultStatus;

    public KeyVaultTestServer(String tenantId, String clientId, String clientSecret) {
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code https://127.0.0.1:<port>}: the vault URL and the authority host. */
    public String baseUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The server's certificate, for the client's trust store. */
    public X509Certificate certificate() {
        return tls.certificate();
    }

    /** Adds a new version of {@code name} (the current one from now on) and returns its version id. */
    public String setSecret(String name, String value) {
        return setSecret(name, value, null);
    }

    public String setSecret(String name, String value, String contentType) {
        String version = UUID.randomUUID().toString().replace("-", "");
        secrets.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                .add(new Version(version, value, contentType, Instant.now()));
        return version;
    }

    /** The next {@code count} secret reads are answered with {@code status} and Key Vault's error body. */
    public void failNext(int status, int count) {
        faultStatus = status;
        faultsLeft.set(count);
    }

    public int challenges() {
        return challenges.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public int secretReads() {
        return secretReads.get();
    }

    public Set<String> issuedTokens() {
        return Set.copyOf(issuedTokens);
    }

    /** Method and path of each request received (never a body or a header value). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(method + " " + path);
            if (method.equals("POST") && path.equals("/" + tenantId + "/oauth2/v2.0/token")) {
                token(exchange);
            } else if (method.equals("GET") && path.equals("/" + tenantId + "/v2.0/.well-known/openid-configuration")) {
                openIdConfiguration(exchange);
            } else if (path.startsWith("/secrets/")) {
                if (!authorized(exchange)) {
                    challenges.incrementAndGet();
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                            + tenantId + "\", resource=\"" + RESOURCE + "\"");
                    error(exchange, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
                } else if (!method.equals("GET")) {
                    error(exchange, 405, "BadParameter", "This test server answers GET only.");
                } else {
                    secret(exchange, path.substring("/secrets/".length()));
                }
            } else {
                error(exchange, 404, "NotFound", "No such endpoint on the Key Vault test server: " + path);
            }
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization != null && authorization.startsWith("Bearer ")
                && issuedTokens.contains(authorization.substring("Bearer ".length()));
    }

    private void secret(HttpExchange exchange, String rest) throws IOException {
        secretReads.incrementAndGet();
        if (faultsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(exchange, faultStatus, "ServiceUnavailable", "The test server was told to fail this request.");
            return;
        }
        String[] parts = rest.split("/", -1);
        String name = parts[0];
        String version = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
        List<Version> versions = secrets.getOrDefault(name, List.of());
        Version found = null;
        if (version == null) {
            found = versions.isEmpty() ? null : versions.get(versions.size() - 1);
        } else {
            for (Version v : versions) {
                if (v.id().equals(version)) {
                    found = v;
                }
            }
        }
        if (found == null) {
            error(exchange, 404, "SecretNotFound", version == null
                    ? "A secret with (name/id) " + name + " was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command."
                    : "A secret with (name/id) " + name + "/" + version + " was not found in this key vault.");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("value", found.value());
        if (found.contentType() != null) {
            body.put("contentType", found.contentType());
        }
        body.put("id", baseUrl() + "/secrets/" + name + "/" + found.id());
        ObjectNode attributes = body.putObject("attributes");
        attributes.put("enabled", true);
        attributes.put("created", found.created().getEpochSecond());
        attributes.put("updated", found.created().getEpochSecond());
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        body.putObject("tags");
        if (PKCS12_CONTENT_TYPE.equals(found.contentType())) {
            // a certificate's secret, as Key Vault returns it: managed by the certificate, its key beside it
            body.put("kid", baseUrl() + "/keys/" + name + "/" + found.id());
            body.put("managed", true);
        }
        send(exchange, 200, body);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type")) || !clientId.equals(form.get("client_id"))
                || !clientSecret.equals(form.get("client_secret"))) {
            ObjectNode body = JSON.createObjectNode().put("error", "invalid_client")
                    .put("error_description", "AADSTS7000215: Invalid client secret provided.");
            send(exchange, 401, body);
            return;
        }
        String scope = form.getOrDefault("scope", "");
        if (!List.of(scope.split(" ")).contains(RESOURCE + "/.default")) {
            send(exchange, 400, JSON.createObjectNode().put("error", "invalid_scope")
                    .put("error_description", "AADSTS70011: scope " + scope + " is not valid for this server."));
            return;
        }
        String token = "kv-access-" + UUID.randomUUID();
        issuedTokens.add(token);
        ObjectNode body = JSON.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
                .put("ext_expires_in", 3599).put("access_token", token);
        send(exchange, 200, body);
    }

    private void openIdConfiguration(HttpExchange exchange) throws IOException {
        String authority = baseUrl() + "/" + tenantId;
        ObjectNode body = JSON.createObjectNode()
                .put("token_endpoint", authority + "/oauth2/v2.0/token")
                .put("authorization_endpoint", authority + "/oauth2/v2.0/authorize")
                .put("issuer", authority + "/v2.0")
                .put("jwks_uri", authority + "/discovery/v2.0/keys");
        send(exchange, 200, body);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Names and version counts, for assertion messages (never values). */
    @Override
    public String toString() {
        Map<String, Integer> counts = new HashMap<>();
        secrets.forEach((k, v) -> counts.put(k, v.size()));
        return "KeyVaultTestServer[" + baseUrl() + ", secrets=" + new ArrayList<>(counts.entrySet()) + "]";
    }
}
