package io.einvoicinghub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.einvoicinghub.api.ProblemType;
import io.einvoicinghub.submission.RunCallbacks;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-legal-entity access on the whole hub: two API keys on two legal entities, each blind to the other's
 * submissions (404, as for an id that does not exist); scopes per operation; the management endpoints behind the
 * admin scope; and OAuth2 access tokens from a local issuer whose keys a small HTTP server publishes as a JWKS.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=1", "hub.validation.warm-up-enabled=false",
        "spring.security.oauth2.resourceserver.jwt.audiences=einvoicing-hub",
        "hub.security.jwt.legal-entities-claim=roles", "hub.security.jwt.legal-entity-prefix=le.",
        "hub.security.jwt.scopes-claim=roles"})
class AuthorizationTest {

    static final String KEY_DE01 = "k1-" + UUID.randomUUID();
    static final String KEY_DE02 = "k2-" + UUID.randomUUID();
    static final String KEY_READ = "k3-" + UUID.randomUUID();
    static final String KEY_ADMIN = "k4-" + UUID.randomUUID();
    static final RSAKey SIGNING = rsaKey("issuer-key");
    static final RSAKey FOREIGN = rsaKey("foreign-key");
    static final HttpServer JWKS = jwksServer();
    static final String ISSUER = "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/issuer";

    private final HttpClient http = HttpClient.newHttpClient();

    @org.springframework.beans.factory.annotation.Autowired
    RunCallbacks callbacks;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("hub-authz-");
        registry.add("hub.data-dir", dataDir::toString);
        // a list binds from one property source only, so every key property is here
        key(registry, 0, "erp-de01", KEY_DE01, "DE01", "submit,read");
        key(registry, 1, "erp-de02", KEY_DE02, "DE02", "submit,read");
        key(registry, 2, "reporting", KEY_READ, "DE01", "read");
        key(registry, 3, "operator", KEY_ADMIN, "*", "admin");
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> ISSUER + "/jwks");
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
    }

    private static void key(DynamicPropertyRegistry registry, int n, String name, String key, String legalEntities, String scopes) {
        String prefix = "hub.security.keys[" + n + "].";
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "sha256", () -> PropertiesApiKeySource.sha256Hex(key));
        registry.add(prefix + "legal-entities", () -> legalEntities);
        registry.add(prefix + "scopes", () -> scopes);
    }

    @AfterAll
    static void stopJwks() {
        JWKS.stop(0);
    }

    // ---- API keys ------------------------------------------------------------------------------------------------

    @Test
    void twoKeysOnTwoLegalEntitiesAreEachBlindToTheOther() {
        String mine = submit("X-API-Key", KEY_DE01, "DE01");
        String theirs = submit("Authorization", "Bearer " + KEY_DE02, "DE02");

        assertThat(call("GET", "/api/v1/submissions/" + mine, "X-API-Key", KEY_DE01).statusCode()).isEqualTo(200);
        for (String path : List.of("/api/v1/submissions/" + theirs, "/api/v1/submissions/" + theirs + "/artifacts/1")) {
            assertProblem(call("GET", path, "X-API-Key", KEY_DE01), 404, ProblemType.NOT_FOUND);
        }
        for (String path : List.of("/api/v1/submissions/" + theirs + "/resubmit", "/api/v1/submissions/" + theirs + "/cancel")) {
            assertProblem(call("POST", path, "X-API-Key", KEY_DE01), 404, ProblemType.NOT_FOUND);
        }
        // the answer for another's id is the answer for an id that does not exist
        assertThat(json(call("GET", "/api/v1/submissions/" + theirs, "X-API-Key", KEY_DE01)).path("detail").asText())
                .isEqualTo("No submission " + theirs);

        assertThat(legalEntitiesListed("X-API-Key", KEY_DE01, "")).containsOnly("DE01");
        assertThat(legalEntitiesListed("X-API-Key", KEY_DE02, "")).containsOnly("DE02");
        // asking for the other's legal entity explicitly finds nothing rather than an error that confirms it exists
        assertThat(legalEntitiesListed("X-API-Key", KEY_DE01, "&legalEntity=DE02")).isEmpty();
        // the operator's key (admin on every legal entity) sees both
        assertThat(legalEntitiesListed("X-API-Key", KEY_ADMIN, "")).contains("DE01", "DE02");
    }

    @Test
    void aCallbackKeyOfAnotherLegalEntitysRunIsUnknownToTheCallerAndNeedsTheSubmitScope() {
        String theirs = submit("X-API-Key", KEY_DE02, "DE02");
        String key = "authz-" + UUID.randomUUID();
        assertThat(callbacks.register(key, theirs, 1, "test.notification")).isEqualTo(RunCallbacks.Registration.REGISTERED);
        String notification = "{\"status\":\"done\"}";

        HttpResponse<String> other = callWith("POST", "/api/v1/callbacks/" + key, notification, "X-API-Key", KEY_DE01);
        assertProblem(other, 404, ProblemType.NOT_FOUND);
        assertThat(json(other).path("detail").asText()).isEqualTo("No run waits on correlation key " + key);
        assertProblem(callWith("POST", "/api/v1/callbacks/" + key, notification, "X-API-Key", KEY_READ), 403, ProblemType.FORBIDDEN);
        assertThat(callbacks.find(key).orElseThrow().received()).isFalse();
        // the run's own legal entity gets past the lookup (the run itself has no wait step: it has finished or will)
        HttpResponse<String> own = callWith("POST", "/api/v1/callbacks/" + key, notification, "X-API-Key", KEY_DE02);
        assertThat(own.statusCode()).as(own.body()).isIn(202, 409);
    }

    @Test
    void submittingForAnotherLegalEntityIsForbidden() {
        HttpResponse<String> alone = callWith("POST", "/api/v1/submissions", body("DE02"), "X-API-Key", KEY_DE01);
        assertProblem(alone, 403, ProblemType.FORBIDDEN);

        ObjectNode batch = UnifiedJson.mapper().createObjectNode();
        batch.putArray("items").add(submission("DE01")).add(submission("DE02"));
        HttpResponse<String> r = callWith("POST", "/api/v1/submissions/batch", UnifiedJson.mapper().valueToTree(batch).toString(),
                "X-API-Key", KEY_DE01);
        assertThat(r.statusCode()).isEqualTo(207);
        assertThat(json(r).path("results").get(0).path("status").asInt()).isEqualTo(202);
        assertThat(json(r).path("results").get(1).path("status").asInt()).isEqualTo(403);
        assertThat(json(r).path("results").get(1).path("problem").path("type").asText()).isEqualTo(ProblemType.FORBIDDEN.uri());
    }

    @Test
    void missingOrUnknownKeysAre401AndMissingScopesAre403() {
        HttpResponse<String> none = call("GET", "/api/v1/submissions");
        assertProblem(none, 401, ProblemType.UNAUTHORIZED);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertProblem(call("GET", "/api/v1/submissions", "X-API-Key", "not-a-key"), 401, ProblemType.UNAUTHORIZED);
        assertProblem(call("GET", "/api/v1/submissions", "Authorization", "Bearer not-a-key"), 401, ProblemType.UNAUTHORIZED);
        assertProblem(callWith("POST", "/api/v1/submissions", body("DE01"), "X-API-Key", KEY_READ), 403, ProblemType.FORBIDDEN);
        assertThat(call("GET", "/api/v1/submissions", "X-API-Key", KEY_READ).statusCode()).isEqualTo(200);
        // what an ERP developer needs before having a key
        assertThat(call("GET", "/api/v1/openapi.yaml").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/schema/unified-submission.schema.json").statusCode()).isEqualTo(200);
    }

    // ---- the management surface ----------------------------------------------------------------------------------

    @Test
    void anonymousHealthIsOnlyUpOrDownAndTheRestNeedsAdmin() {
        JsonNode anonymous = json(call("GET", "/actuator/health"));
        assertThat(anonymous.path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.has("components")).isFalse();
        assertThat(anonymous.toString()).doesNotContain("storage").doesNotContain("diskSpace");

        JsonNode detailed = json(call("GET", "/actuator/health", "X-API-Key", KEY_ADMIN));
        assertThat(detailed.path("components").path("storage").path("status").asText()).isEqualTo("UP");
        assertThat(detailed.path("components").path("storage").path("details").path("backend").asText()).isEqualTo("local-folder");
        assertThat(detailed.path("components").path("jms").path("status").asText()).isEqualTo("UP");

        for (String path : List.of("/actuator/metrics", "/actuator/camelroutes", "/actuator/info")) {
            assertProblem(call("GET", path), 401, ProblemType.UNAUTHORIZED);
            assertProblem(call("GET", path, "X-API-Key", KEY_DE01), 403, ProblemType.FORBIDDEN);
            assertThat(call("GET", path, "X-API-Key", KEY_ADMIN).statusCode()).as(path).isEqualTo(200);
        }
        // route control is read-only: refused as a problem document, never a 500 with a stack trace
        HttpResponse<String> stop = callWith("POST", "/actuator/camelroutes/submit-document/stop", "{}", "X-API-Key", KEY_ADMIN);
        assertProblem(stop, 405, ProblemType.METHOD_NOT_ALLOWED);
        assertThat(call("GET", "/api/v1/features", "X-API-Key", KEY_READ).statusCode()).isEqualTo(200);
    }

    // ---- OAuth2 access tokens (JWT) ------------------------------------------------------------------------------

    @Test
    void accessTokenFromTheConfiguredIssuerGrantsItsLegalEntitiesAndScopes() throws Exception {
        String token = token(SIGNING, ISSUER, "einvoicing-hub", List.of("le.DE01", "submit", "read"), 300);
        String mine = submit("Authorization", "Bearer " + token, "DE01");
        String theirs = submit("X-API-Key", KEY_DE02, "DE02");

        assertThat(call("GET", "/api/v1/submissions/" + mine, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertProblem(call("GET", "/api/v1/submissions/" + theirs, "Authorization", "Bearer " + token), 404, ProblemType.NOT_FOUND);
        assertThat(legalEntitiesListed("Authorization", "Bearer " + token, "")).containsOnly("DE01");

        String readOnly = token(SIGNING, ISSUER, "einvoicing-hub", List.of("le.DE01", "read"), 300);
        assertProblem(callWith("POST", "/api/v1/submissions", body("DE01"), "Authorization", "Bearer " + readOnly), 403, ProblemType.FORBIDDEN);
        String noEntity = token(SIGNING, ISSUER, "einvoicing-hub", List.of("submit", "read"), 300);
        assertThat(legalEntitiesListed("Authorization", "Bearer " + noEntity, "")).isEmpty();
    }

    @Test
    void accessTokensNotFromTheConfiguredIssuerAreRefused() throws Exception {
        List<String> roles = List.of("le.DE01", "submit", "read");
        for (String token : List.of(
                token(FOREIGN, ISSUER, "einvoicing-hub", roles, 300),                    // signed with another key
                token(SIGNING, "http://127.0.0.1:1/other", "einvoicing-hub", roles, 300),  // another issuer
                token(SIGNING, ISSUER, "another-api", roles, 300),                         // for another audience
                token(SIGNING, ISSUER, "einvoicing-hub", roles, -120),                     // expired
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")) {                                  // unsigned
            assertProblem(call("GET", "/api/v1/submissions", "Authorization", "Bearer " + token), 401, ProblemType.UNAUTHORIZED);
        }
    }

    @Test
    void credentialsNeverShowInConfigurationDumps() {
        ApiSecurityProperties properties = new ApiSecurityProperties(List.of("plain-secret-key"),
                List.of(new ApiSecurityProperties.Key("erp", PropertiesApiKeySource.sha256Hex("x"), null, null)), null);
        assertThat(properties.toString()).doesNotContain("plain-secret-key").doesNotContain(PropertiesApiKeySource.sha256Hex("x"));
        // the older plain list still works: hashed at start-up, submit and read on every legal entity
        ApiKey legacy = new PropertiesApiKeySource(properties).keys().get(1);
        assertThat(legacy.sha256()).isEqualTo(PropertiesApiKeySource.sha256Hex("plain-secret-key"));
        assertThat(legacy.caller().mayAccess("ANY")).isTrue();
        assertThat(legacy.scopes()).containsExactlyInAnyOrder(Scope.SUBMIT, Scope.READ);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private String submit(String header, String value, String legalEntity) {
        HttpResponse<String> r = callWith("POST", "/api/v1/submissions", body(legalEntity), header, value);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).path("id").asText();
    }

    private List<String> legalEntitiesListed(String header, String value, String query) {
        HttpResponse<String> r = call("GET", "/api/v1/submissions?limit=500" + query, header, value);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StreamSupport.stream(json(r).path("items").spliterator(), false).map(s -> s.path("legalEntity").asText())
                .distinct().toList();
    }

    private static ObjectNode submission(String legalEntity) {
        try {
            ObjectNode s = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(Path.of("samples/valid/01-standard-rate-sepa-transfer.json")));
            ((ObjectNode) s.get("context")).put("legalEntity", legalEntity).put("erpDocumentId", "AUTHZ-" + UUID.randomUUID());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String body(String legalEntity) {
        return new String(UnifiedJson.write(submission(legalEntity)), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> call(String method, String path, String... headers) {
        return callWith(method, path, null, headers);
    }

    private HttpResponse<String> callWith(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return UnifiedJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    private static void assertProblem(HttpResponse<String> r, int status, ProblemType type) {
        assertThat(r.statusCode()).as("%s %s: %s", r.request().method(), r.uri(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(json(r).path("type").asText()).isEqualTo(type.uri());
    }

    private static String token(RSAKey key, String issuer, String audience, List<String> roles, long validSeconds) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("erp-client-" + UUID.randomUUID())
                .issueTime(Date.from(now.minusSeconds(300))).notBeforeTime(Date.from(now.minusSeconds(300)))
                .expirationTime(Date.from(now.plusSeconds(validSeconds))).claim("roles", roles).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey rsaKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer's published keys, as a JWKS document on a random port; only the public half is served. */
    private static HttpServer jwksServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] jwks = new JWKSet(SIGNING.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/issuer/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
