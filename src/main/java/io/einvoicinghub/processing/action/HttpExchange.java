package io.einvoicinghub.processing.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.SecretStore;
import io.einvoicinghub.submission.UnifiedJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP call of a step (call-http, wait-for-response), shared: authentication from the secret store,
 * TLS client certificates, time-outs, the classification of failures (timeouts, resets, 5xx, 408 and 429
 * with Retry-After are transient; other 4xx permanent), and the request and response as stored files with
 * credentials redacted.
 */
final class HttpExchange {

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.oneOf("auth", "none", "how the call authenticates", "none", "bearer", "basic", "header"),
            new ParameterSpec("authSecret", ParameterSpec.Type.SECRET, false, null,
                    "secret store entry with the token (bearer, header) or user:password (basic)", false, List.of()),
            ParameterSpec.optional("authHeader", ParameterSpec.Type.STRING, "Authorization",
                    "header carrying the secret for auth=header, e.g. X-API-Key"),
            new ParameterSpec("clientCertificate", ParameterSpec.Type.CERTIFICATE, false, null,
                    "secret store entry holding a PKCS#12 client certificate (base64) for mutual TLS", false, List.of()),
            ParameterSpec.optional("connectTimeout", ParameterSpec.Type.DURATION, "10s", "time-out for the connection"),
            ParameterSpec.optional("timeout", ParameterSpec.Type.DURATION, "30s", "time-out for the whole answer"),
            ParameterSpec.family("header.", "request headers, e.g. header.Accept=application/json"),
            ParameterSpec.family("variable.", "run variables from the JSON answer: variable.<name>=<JSON pointer>"),
            ParameterSpec.family("output.", "authority outputs from the JSON answer: output.<name>=<JSON pointer>"));

    private final SecretStore secrets;
    private final KeyMaterials keys;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    HttpExchange(SecretStore secrets, KeyMaterials keys) {
        this.secrets = secrets;
        this.keys = keys;
    }

    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Optional<JsonNode> json() {
            try {
                return body.length == 0 ? Optional.empty() : Optional.of(UnifiedJson.mapper().readTree(body));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** Sends the request and stores it and its answer as files of the run; throws the classified failure. */
    Answer send(StepContext step, String method, String url, byte[] body, String contentType, String fileStem,
                String idempotencyHeader, String reference) throws StepFailure, InterruptedException {
        StepParameters p = step.parameters();
        Duration timeout = p.getDuration("timeout", Duration.ofSeconds(30));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        Map<String, String> headers = new LinkedHashMap<>(p.family("header."));
        if (contentType != null && body != null) {
            headers.putIfAbsent("Content-Type", contentType);
        }
        if (idempotencyHeader != null) {
            headers.put(idempotencyHeader, reference);
        }
        List<String> secretValues = new ArrayList<>();
        String auth = p.get("auth", "none");
        if (!"none".equals(auth)) {
            String secretName = p.get("authSecret").orElseThrow(() ->
                    new StepFailure.Permanent("auth=" + auth + " needs authSecret"));
            String value = secret(secretName);
            secretValues.add(value);
            switch (auth) {
                case "bearer" -> headers.put("Authorization", "Bearer " + value);
                case "basic" -> {
                    String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
                    secretValues.add(encoded);
                    headers.put("Authorization", "Basic " + encoded);
                }
                default -> headers.put(p.require("authHeader"), value);
            }
        }
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpClient client = client(p);
        step.storeFile(fileStem + "-request.txt", "request", "text/plain",
                describe(method + " " + url, headers, body, secretValues));
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new StepFailure.Transient("cannot connect to " + hostOf(url) + " (" + e.getClass().getSimpleName() + ")");
        } catch (HttpTimeoutException e) {
            throw new StepFailure.Transient("no answer from " + hostOf(url) + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new StepFailure.Transient("connection to " + hostOf(url) + " failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + redact(e.getMessage(), secretValues)) + ")");
        }
        Answer answer = new Answer(response.statusCode(), response.headers().map(), response.body());
        step.storeFile(fileStem + "-response.txt", "response", "text/plain",
                describe("HTTP " + answer.status(), flatten(answer.headers()), answer.body(), secretValues));
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return answer;
        }
        String what = "HTTP " + status + " from " + hostOf(url) + excerpt(redact(answer.text(), secretValues));
        if (status == 408 || status == 429 || status >= 500) {
            throw new StepFailure.Transient(what, retryAfter(answer));
        }
        throw new StepFailure.Permanent(what);
    }

    /** Copies {@code variable.*} and {@code output.*} values out of a JSON answer. */
    static void extract(StepContext step, JsonNode json) throws StepFailure {
        for (Map.Entry<String, String> e : step.parameters().family("variable.").entrySet()) {
            JsonNode value = json.at(e.getValue());
            if (!value.isMissingNode() && !value.isNull()) {
                step.setVariable(e.getKey(), value.isValueNode() ? value.asText() : value.toString());
            }
        }
        for (Map.Entry<String, String> e : step.parameters().family("output.").entrySet()) {
            JsonNode value = json.at(e.getValue());
            if (value.isMissingNode() || value.isNull()) {
                throw new StepFailure.Permanent("the answer has no " + e.getValue() + " for output " + e.getKey());
            }
            step.addAuthorityOutput(e.getKey(), value.isValueNode() ? value.asText() : value.toString());
        }
    }

    private String secret(String name) throws StepFailure {
        try {
            return secrets.get(name).value();
        } catch (SecretStore.SecretNotFoundException e) {
            throw new StepFailure.Permanent(e.getMessage());
        } catch (SecretStore.SecretStoreUnavailableException e) {
            throw new StepFailure.Transient(e.getMessage()); // names the secret and the backend, never a value
        } catch (RuntimeException e) {
            throw new StepFailure.Transient("the secret store could not give '" + name + "' (" + e.getClass().getSimpleName() + ")");
        }
    }

    private HttpClient client(StepParameters p) throws StepFailure {
        String certificate = p.get("clientCertificate").orElse(null);
        Duration connect = p.getDuration("connectTimeout", Duration.ofSeconds(10));
        String key = certificate + "|" + connect;
        try {
            return clients.computeIfAbsent(key, k -> {
                HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connect)
                        .followRedirects(HttpClient.Redirect.NEVER);
                if (certificate != null) {
                    builder.sslContext(keys.clientTlsContext(certificate));
                }
                return builder.build();
            });
        } catch (SecretStore.SecretNotFoundException e) {
            throw new StepFailure.Permanent(e.getMessage());
        }
    }

    static Duration retryAfter(Answer answer) {
        List<String> values = answer.headers().getOrDefault("retry-after", answer.headers().get("Retry-After"));
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0).trim();
        try {
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static Map<String, String> flatten(Map<String, List<String>> headers) {
        Map<String, String> flat = new LinkedHashMap<>();
        headers.forEach((name, values) -> flat.put(name, String.join(", ", values)));
        return flat;
    }

    /** The request or answer as a readable file: credentials and every secret value replaced by ****. */
    private static byte[] describe(String firstLine, Map<String, String> headers, byte[] body, List<String> secretValues) {
        StringBuilder text = new StringBuilder(firstLine).append('\n');
        headers.forEach((name, value) -> {
            boolean credential = name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Proxy-Authorization")
                    || name.toLowerCase().contains("api-key") || name.toLowerCase().contains("token")
                    || name.equalsIgnoreCase("Cookie") || name.equalsIgnoreCase("Set-Cookie");
            text.append(name).append(": ").append(credential ? "****" : value).append('\n');
        });
        text.append('\n');
        if (body != null) {
            text.append(new String(body, StandardCharsets.UTF_8));
        }
        return redact(text.toString(), secretValues).getBytes(StandardCharsets.UTF_8);
    }

    static String redact(String text, List<String> secretValues) {
        String out = text;
        for (String secret : secretValues) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "****");
            }
        }
        return out;
    }

    private static String excerpt(String body) {
        String trimmed = body.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return ": " + (trimmed.length() > 300 ? trimmed.substring(0, 300) + "…" : trimmed);
    }

    static String hostOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
        } catch (RuntimeException e) {
            return "the service";
        }
    }
}
