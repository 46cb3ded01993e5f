package io.einvoicinghub.processing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small asynchronous tax authority for the engine's tests (the contract most authorities share): POST
 * /invoices accepts a document and answers 202 with a reference; GET /invoices/{ref}/status says "100
 * processing" until the answer is ready, then "200" with the authority's number, or "400" with its error
 * codes. Repeats with the same Idempotency-Key are recognised, not received twice. Markers in the document
 * make it misbehave: ALWAYS503, ONCE429 (Retry-After: 1), LOSEONCE (processes, then drops the connection),
 * SLOWPOST (answers after 4 s), REJECT (rejects), SLOWANSWER (answers after a minute).
 */
final class AsyncAuthoritySimulator implements AutoCloseable {

    record Received(String reference, String idempotencyKey, String body, long atMillis) {
    }

    private final HttpServer server;
    private final Map<String, Received> byKey = new ConcurrentHashMap<>();
    private final Map<String, Received> byReference = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Long> postAttempts = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> statusLooks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> markerHits = new ConcurrentHashMap<>();
    private final AtomicInteger references = new AtomicInteger();
    volatile long answerDelayMillis = 1000;

    AsyncAuthoritySimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/invoices", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int receivedContaining(String marker) {
        return (int) received.stream().filter(r -> r.body().contains(marker)).count();
    }

    int looks(String marker) {
        return received.stream().filter(r -> r.body().contains(marker))
                .mapToInt(r -> statusLooks.getOrDefault(r.reference(), new AtomicInteger()).get()).sum();
    }

    private boolean firstTime(String marker, String body) {
        return body.contains(marker) && markerHits.computeIfAbsent(marker + body.hashCode(), k -> new AtomicInteger()).getAndIncrement() == 0;
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            String path = http.getRequestURI().getPath();
            if (http.getRequestMethod().equals("POST") && path.equals("/invoices")) {
                receive(http);
            } else if (http.getRequestMethod().equals("GET") && path.endsWith("/status")) {
                status(http, path.split("/")[2]);
            } else {
                answer(http, 404, "{\"error\":\"no such resource\"}");
            }
        }
    }

    private void receive(HttpExchange http) throws IOException {
        byte[] bytes;
        try (InputStream in = http.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        postAttempts.add(System.currentTimeMillis());
        if (body.contains("ALWAYS503")) {
            answer(http, 503, "{\"error\":\"temporarily unavailable\"}");
            return;
        }
        if (firstTime("ONCE429", body)) {
            http.getResponseHeaders().add("Retry-After", "1");
            answer(http, 429, "{\"error\":\"too many requests\"}");
            return;
        }
        if (body.contains("SLOWPOST")) {
            sleep(4000);
        }
        String key = http.getRequestHeaders().getFirst("Idempotency-Key");
        Received r = key == null ? null : byKey.get(key);
        if (r == null) {
            r = new Received("R-" + references.incrementAndGet(), key, body, System.currentTimeMillis());
            received.add(r);
            byReference.put(r.reference(), r);
            if (key != null) {
                byKey.put(key, r);
            }
        }
        if (firstTime("LOSEONCE", body)) {
            http.close(); // processed, but the answer never arrives
            return;
        }
        answer(http, 202, "{\"referenceNumber\":\"" + r.reference() + "\"}");
    }

    private void status(HttpExchange http, String reference) throws IOException {
        Received r = byReference.get(reference);
        if (r == null) {
            answer(http, 404, "{\"error\":\"unknown reference\"}");
            return;
        }
        statusLooks.computeIfAbsent(reference, k -> new AtomicInteger()).incrementAndGet();
        long delay = r.body().contains("SLOWANSWER") ? 60_000 : answerDelayMillis;
        if (System.currentTimeMillis() - r.atMillis() < delay) {
            answer(http, 200, "{\"status\":{\"code\":100,\"description\":\"Processing\"}}");
        } else if (r.body().contains("REJECT")) {
            answer(http, 200, "{\"status\":{\"code\":400,\"description\":\"Rejected\"},\"errors\":["
                    + "{\"code\":\"E-21\",\"message\":\"Seller tax id is not registered\"},"
                    + "{\"code\":\"E-47\",\"message\":\"Issue date is in the future\"}]}");
        } else {
            answer(http, 200, "{\"status\":{\"code\":200,\"description\":\"Accepted\"},\"authorityNumber\":\"AUTH-"
                    + reference + "\"}");
        }
    }

    private static void answer(HttpExchange http, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().add("Content-Type", "application/json");
        http.sendResponseHeaders(status, bytes.length);
        http.getResponseBody().write(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
