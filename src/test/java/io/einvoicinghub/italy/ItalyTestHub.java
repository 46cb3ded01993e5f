package io.einvoicinghub.italy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.secrets.KeyMaterials;
import io.einvoicinghub.secrets.LocalSecretStore;
import io.einvoicinghub.signing.TestPki;
import io.einvoicinghub.submission.UnifiedJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * What the Italy feature tests share: a test PKI whose RSA key signs as {@code it-signing-<legal entity>} in the
 * local keystore (the name the it-fatturapa route asks for), and the ERP's side of the API (submit, wait, download).
 */
final class ItalyTestHub {

    static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Canceled");

    final HttpClient http = HttpClient.newHttpClient();
    final int port;

    ItalyTestHub(int port) {
        this.port = port;
    }

    /** The test PKI, with the given legal entities' signing certificates copied from {@code alias} under it-signing-<entity>. */
    static TestPki pki(Path secretsDir, String alias, String... legalEntities) {
        try {
            TestPki pki = new TestPki(secretsDir);
            Properties secrets = new Properties();
            try (InputStream in = Files.newInputStream(secretsDir.resolve(LocalSecretStore.FILE_NAME))) {
                secrets.load(in);
            }
            char[] password = secrets.getProperty(KeyMaterials.KEYSTORE_PASSWORD).toCharArray();
            Path file = secretsDir.resolve(KeyMaterials.KEYSTORE_FILE);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
            KeyStore.Entry entry = store.getEntry(alias, new KeyStore.PasswordProtection(password));
            for (String entity : legalEntities) {
                store.setEntry("it-signing-" + entity, entry, new KeyStore.PasswordProtection(password));
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return pki;
        } catch (Exception e) {
            throw new IllegalStateException("test PKI", e);
        }
    }

    static Path temp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Submits a sample under a fresh ERP id, optionally for another legal entity; returns the submission id. */
    String submit(Path sample, String legalEntity) {
        return submit(sample, legalEntity, java.util.Map.of());
    }

    /** As {@link #submit(Path, String)}, with these context variables added. */
    String submit(Path sample, String legalEntity, java.util.Map<String, String> variables) {
        ObjectNode submission;
        try {
            submission = (ObjectNode) UnifiedJson.parse(Files.readAllBytes(sample));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode context = (ObjectNode) submission.get("context");
        context.put("erpDocumentId", "IT-" + UUID.randomUUID().toString().substring(0, 8));
        if (legalEntity != null) {
            context.put("legalEntity", legalEntity);
        }
        if (!variables.isEmpty()) {
            ObjectNode vars = context.has("variables") ? (ObjectNode) context.get("variables") : context.putObject("variables");
            variables.forEach(vars::put);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/submissions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new String(UnifiedJson.write(submission), StandardCharsets.UTF_8))).build());
        if (response.statusCode() != 202) {
            throw new AssertionError("Not accepted: " + response.body());
        }
        return json(response.body()).path("id").asText();
    }

    JsonNode awaitTerminal(String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode s = null;
        while (Instant.now().isBefore(deadline)) {
            s = json(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id)).GET().build()).body());
            if (TERMINAL.contains(s.path("status").asText())) {
                return s;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Submission " + id + " did not end in 90 s: " + s);
    }

    static JsonNode artifact(JsonNode submission, String kind) {
        return StreamSupport.stream(submission.path("artifacts").spliterator(), false)
                .filter(a -> a.path("kind").asText().equals(kind)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + submission.path("artifacts")));
    }

    static List<JsonNode> findings(JsonNode submission) {
        return StreamSupport.stream(submission.path("findings").spliterator(), false).toList();
    }

    static List<String> values(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    byte[] download(String href) {
        try {
            return http.send(HttpRequest.newBuilder(uri(href)).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : "http://127.0.0.1:" + port + path);
    }

    static JsonNode json(String body) {
        try {
            return UnifiedJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }
}
