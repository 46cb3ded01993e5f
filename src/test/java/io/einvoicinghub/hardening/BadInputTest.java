package io.einvoicinghub.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.api.ProblemType;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7's bad input, one test per kind, each answered with its problem {@code type}; after every test the log
 * holds no stack trace and none of the business data sent (the marker {@value #MARKER}), and storage holds no
 * file that no submission row refers to.
 */
class BadInputTest extends HubIntegrationTest {

    /** Put into names and VAT ids of the bodies sent: it must never show up in the log. */
    static final String MARKER = "Geheim-Handels-GmbH-DE999888777";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = new LogCapture();
    }

    @AfterEach
    void nothingLeakedAndNothingOrphaned() throws IOException {
        try {
            assertThat(log.withThrowable()).as("log events with a stack trace:\n%s", log.text()).isEmpty();
            assertThat(log.text()).as("business data in the log").doesNotContain(MARKER).doesNotContain("\tat ");
            assertNoFileWithoutRow();
        } finally {
            log.close();
        }
    }

    // ---- 1. orphaned files and field lengths ---------------------------------------------------------------------

    @Test
    void overLongContextFieldsAre422WithTheirPointer() {
        ObjectNode longEntity = submission();
        context(longEntity).put("legalEntity", "L".repeat(101));
        assertProblem(post("/api/v1/submissions", text(longEntity)), 422, ProblemType.SCHEMA_VIOLATION, "/context/legalEntity");

        ObjectNode longErpId = submission();
        context(longErpId).put("erpDocumentId", "E".repeat(201));
        assertProblem(post("/api/v1/submissions", text(longErpId)), 422, ProblemType.SCHEMA_VIOLATION, "/context/erpDocumentId");

        ObjectNode longHint = submission();
        context(longHint).put("featureHint", "f".repeat(101));
        assertProblem(post("/api/v1/submissions", text(longHint)), 422, ProblemType.SCHEMA_VIOLATION, "/context/featureHint");
    }

    @Test
    void overLongOrUnprintableIdempotencyKeyIs400() {
        assertProblem(post("/api/v1/submissions", text(submission()), "Idempotency-Key", "k".repeat(201)), 400,
                ProblemType.INVALID_HEADER, null);
        assertProblem(post("/api/v1/submissions", text(submission()), "Idempotency-Key", "with space"), 400,
                ProblemType.INVALID_HEADER, null);
    }

    @Test
    void thirtyParallelIdenticalRequestsMakeOneSubmissionAndNoOrphans() throws Exception {
        String body = text(submission());
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(() -> post("/api/v1/submissions", body));
            }
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
                created += r.statusCode() == 202 ? 1 : 0;
                ids.add(json(r).path("id").asText());
            }
            assertThat(ids).hasSize(1);
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM intake_pending", Integer.class)).isZero();
    }

    // ---- 2. permanent bad input is never "retry later" -----------------------------------------------------------

    @Test
    void invalidUtf8Is400() {
        byte[] body = text(submission()).replace(MARKER, "Caf\u00e9 " + MARKER).getBytes(StandardCharsets.UTF_8);
        byte[] broken = replaceFirst(body, "\u00e9".getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xFF});
        assertProblem(postBytes(broken, "application/json"), 400, ProblemType.MALFORMED_JSON, null);
    }

    @Test
    void utf16BodiesAndOtherCharsetsAreRefused() {
        String body = text(submission());
        assertProblem(postBytes(body.getBytes(StandardCharsets.UTF_16), "application/json"), 400, ProblemType.MALFORMED_JSON, null);
        assertProblem(postBytes(body.getBytes(StandardCharsets.UTF_16LE), "application/json"), 400, ProblemType.MALFORMED_JSON, null);
        assertProblem(postBytes(body.getBytes(StandardCharsets.ISO_8859_1), "application/json; charset=ISO-8859-1"), 415,
                ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
        // UTF-8 said out loud is fine
        assertThat(postBytes(text(submission()).getBytes(StandardCharsets.UTF_8), "application/json; charset=UTF-8").statusCode())
                .isEqualTo(202);
    }

    @Test
    void numbersNoAmountCanBeAre422() {
        for (String number : List.of("1e999999", "1e-999999", "-1E+400")) {
            String body = text(submission()).replaceFirst("\"netAmount\"\\s*:\\s*[0-9.]+", "\"netAmount\":" + number);
            assertThat(body).contains(number);
            assertProblem(post("/api/v1/submissions", body), 422, ProblemType.INVALID_VALUE, "/document/lines/0/netAmount");
        }
        // more digits than the parser takes at all
        String tooLong = text(submission()).replaceFirst("\"netAmount\"\\s*:\\s*[0-9.]+", "\"netAmount\":1" + "0".repeat(100));
        assertProblem(post("/api/v1/submissions", tooLong), 400, ProblemType.MALFORMED_JSON, null);
    }

    @Test
    void brokenPercentEncodingInTheQueryIs400() {
        // java.net.URI refuses to send these, so they go over a plain socket
        for (String query : List.of("legalEntity=%ZZ", "legalEntity=%E0%A4%A", "status=%")) {
            String answer = rawGet("/api/v1/submissions?" + query);
            assertThat(answer).as(query).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains(ProblemType.INVALID_QUERY.uri());
        }
    }

    // ---- 3. form bodies ------------------------------------------------------------------------------------------

    @Test
    void formBodyIs415AndNeverLogged() {
        String form = "context=" + MARKER + "&document=" + "x".repeat(200_000) + MARKER;
        HttpResponse<String> r = post("/api/v1/submissions", form, "Content-Type", "application/x-www-form-urlencoded");
        assertProblem(r, 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
        assertThat(r.body()).doesNotContain(MARKER);
        assertProblem(post("/api/v1/submissions/batch", form, "Content-Type", "application/x-www-form-urlencoded"), 415,
                ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
        assertProblem(post("/api/v1/submissions", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + MARKER
                + "\r\n--b--\r\n", "Content-Type", "multipart/form-data; boundary=b"), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
    }

    // ---- 4. the per-document limit holds inside batches ----------------------------------------------------------

    @Test
    void batchItemOverThePerDocumentLimitIs413AndTheOthersGoThrough() {
        ObjectNode big = submission();
        ((ObjectNode) big.get("document")).put("paymentTerms", "x".repeat(2_100_000));   // limit in tests: 2,000,000
        ObjectNode small = submission();
        ObjectNode batch = mapper().createObjectNode();
        batch.putArray("items").add(big).add(small);
        HttpResponse<String> r = post("/api/v1/submissions/batch", text(batch));

        assertThat(r.statusCode()).isEqualTo(207);
        JsonNode results = json(r).path("results");
        assertThat(results.get(0).path("status").asInt()).isEqualTo(413);
        assertThat(results.get(0).path("problem").path("type").asText()).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE.uri());
        assertThat(results.get(0).path("problem").path("instance").asText()).isEqualTo("/items/0");
        assertThat(results.get(1).path("status").asInt()).isEqualTo(202);
    }

    // ---- 5. characters XML 1.0 cannot carry ----------------------------------------------------------------------

    @Test
    void controlCharactersAndLoneSurrogatesAre422WithTheirPointer() {
        for (String bad : List.of("\\u0000", "\\u0001", "\\u001f", "\\ud800", "\\udc00x", "\\uffff")) {
            String body = text(submission()).replace("\"" + MARKER + "\"", "\"Nordwind" + bad + "GmbH\"");
            assertThat(body).contains(bad);
            assertProblem(post("/api/v1/submissions", body), 422, ProblemType.INVALID_VALUE, "/document/seller/name");
        }
        // tab, line feed and a correct surrogate pair (an emoji) are text
        String fine = text(submission()).replace("\"" + MARKER + "\"", "\"Nordwind\\tGmbH \\ud83d\\ude00\"");
        HttpResponse<String> accepted = post("/api/v1/submissions", fine);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void attachmentThatIsNotBase64Is422() {
        ObjectNode s = submission();
        ArrayNode docs = ((ObjectNode) s.get("document")).putArray("supportingDocuments");
        docs.addObject().put("id", "ATT-1").putObject("attachment").put("content", "A").put("mimeCode", "application/pdf")
                .put("filename", "a.pdf");
        assertProblem(post("/api/v1/submissions", text(s)), 422, ProblemType.INVALID_VALUE,
                "/document/supportingDocuments/0/attachment/content");
    }

    // ---- 6. start-up and shut-down window ------------------------------------------------------------------------

    @Test
    void whileNotReadyTheApiAnswers503WithRetryAfter() {
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            HttpResponse<String> r = get("/api/v1/submissions");
            assertProblem(r, 503, ProblemType.SERVICE_UNAVAILABLE, null);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(get("/api/v1/submissions").statusCode()).isEqualTo(200);
    }

    // ---- 7. legal entities that make bad folder names ------------------------------------------------------------

    @Test
    void legalEntitiesThatMakeBadFolderNamesAre422() {
        for (String entity : List.of("../../x", "...", ".", "..", "CON", "nul", "NUL.txt", "com1", "Lpt9.log", " ", "",
                "a b", "a\r\nb", "a/b", "a\\b", "-DE01", "DE01.", "DE01_", "\u00c4G01")) {
            ObjectNode s = submission();
            context(s).put("legalEntity", entity);
            assertProblem(post("/api/v1/submissions", text(s)), 422, ProblemType.SCHEMA_VIOLATION, "/context/legalEntity");
        }
        ObjectNode nul = submission();
        context(nul).put("legalEntity", "DE\u000001");
        assertProblem(post("/api/v1/submissions", text(nul)), 422, ProblemType.INVALID_VALUE, "/context/legalEntity");
        // what real company codes look like still passes
        for (String entity : List.of("DE01", "de-01.sub_2", "CONSULT", "NULX", "COM10", "7")) {
            ObjectNode s = submission();
            context(s).put("legalEntity", entity);
            HttpResponse<String> r = post("/api/v1/submissions", text(s));
            assertThat(r.statusCode()).as(entity + ": " + r.body()).isEqualTo(202);
        }
    }

    // ---- 8. every error answer is one problem format -------------------------------------------------------------

    @Test
    void containerAndFrameworkErrorsAreProblemDocuments() {
        assertProblem(get("/api/v1/submissions/a%2Fb"), 400, ProblemType.INVALID_REQUEST, null);
        assertProblem(get("/api/v1/no-such-thing"), 404, ProblemType.NOT_FOUND, null);
        assertProblem(get("/no-such-page"), 404, ProblemType.NOT_FOUND, null);
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/submissions")).DELETE().build()), 405,
                ProblemType.METHOD_NOT_ALLOWED, null);
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/submissions/x/cancel")).GET().build()), 405,
                ProblemType.METHOD_NOT_ALLOWED, null);
        assertProblem(get("/api/v1/submissions/" + UUID.randomUUID()), 404, ProblemType.NOT_FOUND, null);
    }

    @Test
    void malformedJsonDetailsNameNoParserInternals() {
        for (String body : List.of("{\"context\": NaN}", "{\"a\": Infinity}", "{\"a\": 1,, }", "{\"a\": \"b",
                "{\"a\": 1} trailing", "{\"a\": 1, \"a\": 2}", "[1]", "\"text\"", "{\"a\": 01}", "{'a': 1}",
                "{\"a\": 1 /* comment */}", "\u00ef\u00bb\u00bf")) {
            HttpResponse<String> r = post("/api/v1/submissions", body);
            assertProblem(r, 400, ProblemType.MALFORMED_JSON, null);
            assertThat(json(r).path("detail").asText()).as(body)
                    .doesNotContainIgnoringCase("jackson").doesNotContain("JsonReadFeature").doesNotContain("com.")
                    .doesNotContain("StreamReadConstraints").doesNotContain("Source:");
        }
        assertProblem(post("/api/v1/submissions", "[".repeat(100) + "]".repeat(100)), 400, ProblemType.MALFORMED_JSON, null);
        assertProblem(post("/api/v1/submissions", ""), 400, ProblemType.MALFORMED_JSON, null);
    }

    // ---- 9. the same ERP document id with other content ----------------------------------------------------------

    @Test
    void sameErpDocumentWithOtherContentIs409UnlessANewVersion() {
        ObjectNode first = submission();
        String firstId = json(post("/api/v1/submissions", text(first))).path("id").asText();

        // jq 1.6 rewrites 1360.00 as 1360: the same amounts, so the same document
        String rewritten = text(first).replace("1618.40", "1618.4").replace("1360.00", "1360");
        HttpResponse<String> same = post("/api/v1/submissions", rewritten);
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(json(same).path("id").asText()).isEqualTo(firstId);

        ObjectNode changed = first.deepCopy();
        ((ObjectNode) changed.get("document")).put("paymentTerms", "Net 60 days");
        HttpResponse<String> conflict = post("/api/v1/submissions", text(changed));
        assertProblem(conflict, 409, ProblemType.DOCUMENT_ALREADY_SUBMITTED, null);
        assertThat(json(conflict).path("existing").path("id").asText()).isEqualTo(firstId);
        assertThat(json(conflict).path("existing").path("href").asText()).isEqualTo("/api/v1/submissions/" + firstId);

        context(changed).put("newVersion", true);
        HttpResponse<String> version = post("/api/v1/submissions", text(changed));
        assertThat(version.statusCode()).as(version.body()).isEqualTo(202);
        assertThat(json(version).path("id").asText()).isNotEqualTo(firstId);
    }

    /**
     * Twenty clients race to submit different documents under one ERP document id: exactly one becomes a
     * submission, every other one is told which (409 with a link) and leaves no file behind.
     */
    @Test
    void twentyParallelDifferentDocumentsUnderOneErpIdMakeOneSubmission() throws Exception {
        ObjectNode base = submission();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ObjectNode variant = base.deepCopy();
            ((ObjectNode) variant.get("document")).put("paymentTerms", "Variant " + i);
            bodies.add(text(variant));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (String body : bodies) {
                calls.add(() -> {
                    start.await();
                    return post("/api/v1/submissions", body);
                });
            }
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            calls.forEach(c -> futures.add(pool.submit(c)));
            start.countDown();
            for (Future<HttpResponse<String>> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<HttpResponse<String>> created = answers.stream().filter(r -> r.statusCode() == 202).toList();
        assertThat(created).as("answers: %s", answers.stream().map(r -> r.statusCode() + " " + r.body()).toList()).hasSize(1);
        String winner = json(created.get(0)).path("id").asText();
        for (HttpResponse<String> r : answers) {
            if (r != created.get(0)) {
                assertProblem(r, 409, ProblemType.DOCUMENT_ALREADY_SUBMITTED, null);
                assertThat(json(r).path("existing").path("id").asText()).as(r.body()).isEqualTo(winner);
                assertThat(json(r).path("existing").path("href").asText()).isEqualTo("/api/v1/submissions/" + winner);
            }
        }
        String erpId = base.path("context").path("erpDocumentId").asText();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM submission WHERE erp_document_id = ?", Integer.class, erpId))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM intake_pending", Integer.class)).isZero();

        // a declared new version still goes through, also after the race
        ObjectNode correction = base.deepCopy();
        ((ObjectNode) correction.get("document")).put("paymentTerms", "Corrected");
        context(correction).put("newVersion", true);
        HttpResponse<String> version = post("/api/v1/submissions", text(correction));
        assertThat(version.statusCode()).as(version.body()).isEqualTo(202);
        // and so does an identical resend of the winner's document
        HttpResponse<String> resend = post("/api/v1/submissions", bodies.get(answers.indexOf(created.get(0))));
        assertThat(resend.statusCode()).as(resend.body()).isEqualTo(200);
        assertThat(json(resend).path("id").asText()).isEqualTo(winner);
    }

    // ---- the ones that already passed ----------------------------------------------------------------------------

    @Test
    void wrongContentTypesAndSizeLimits() {
        assertProblem(post("/api/v1/submissions", text(submission()), "Content-Type", "text/plain"), 415,
                ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
        assertProblem(post("/api/v1/submissions", text(submission()), "Content-Type", "application/xml"), 415,
                ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
        assertProblem(send(HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .POST(HttpRequest.BodyPublishers.ofString(text(submission()))).build()), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, null);
        ObjectNode big = submission();
        ((ObjectNode) big.get("document")).put("paymentTerms", "x".repeat(2_100_000));
        assertProblem(post("/api/v1/submissions", text(big)), 413, ProblemType.PAYLOAD_TOO_LARGE, null);
        ObjectNode emptyBatch = mapper().createObjectNode();
        emptyBatch.putArray("items");
        assertProblem(post("/api/v1/submissions/batch", text(emptyBatch)), 422, ProblemType.INVALID_BATCH, "/items");
    }

    @Test
    void markupAndEntityDeclarationsStayText() {
        ObjectNode s = submission();
        String xxe = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        ((ObjectNode) s.get("document")).put("paymentTerms", xxe);
        HttpResponse<String> r = post("/api/v1/submissions", text(s));
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode done = awaitTerminal(json(r).path("id").asText());
        JsonNode output = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .filter(a -> a.path("kind").asText().equals("output")).findFirst().orElseThrow();
        String xml = new String(getBytes(output.path("href").asText()).body(), StandardCharsets.UTF_8);
        assertThat(xml).contains("&lt;!DOCTYPE x").doesNotContain("root:x:0:0").doesNotContain("<!DOCTYPE x");
    }

    @Test
    void traversalIdsAndQueryAbuse() {
        assertProblem(get("/api/v1/submissions/..%2F..%2Fetc%2Fpasswd"), 400, ProblemType.INVALID_REQUEST, null);
        assertProblem(get("/api/v1/submissions/" + UUID.randomUUID() + "/artifacts/..%252F..%252Fx"), 400, ProblemType.INVALID_REQUEST, null);
        assertProblem(get("/api/v1/submissions/" + UUID.randomUUID() + "/artifacts/1"), 404, ProblemType.NOT_FOUND, null);
        assertProblem(get("/api/v1/submissions/%2e%2e"), 400, ProblemType.INVALID_REQUEST, null);
        for (String query : List.of("limit=-1", "limit=501", "limit=abc", "offset=-5", "status=Bogus", "status=%00",
                "createdFrom=yesterday", "createdTo=2026-13-45T00:00:00Z")) {
            assertProblem(get("/api/v1/submissions?" + query), 400, ProblemType.INVALID_QUERY, null);
        }
        // repeated and unknown parameters: the first value counts, unknown ones are ignored
        assertThat(get("/api/v1/submissions?limit=1&limit=999&foo=bar").statusCode()).isEqualTo(200);
        HttpResponse<String> huge = get("/api/v1/submissions?erpDocumentId=" + "x".repeat(20_000));
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static ObjectNode submission() {
        ObjectNode s = sample("valid/01-standard-rate-sepa-transfer.json");
        context(s).put("erpDocumentId", "BAD-" + UUID.randomUUID());
        ((ObjectNode) s.path("document").path("seller")).put("name", MARKER);
        return s;
    }

    private static ObjectNode context(ObjectNode submission) {
        return (ObjectNode) submission.get("context");
    }

    private static com.fasterxml.jackson.databind.ObjectMapper mapper() {
        return io.einvoicinghub.submission.UnifiedJson.mapper();
    }

    private String rawGet(String pathAndQuery) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> postBytes(byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(uri("/api/v1/submissions")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static void assertProblem(HttpResponse<String> r, int status, ProblemType type, String pointer) {
        assertThat(r.statusCode()).as("status of %s: %s", r.uri(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as("content type of %s", r.uri())
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = json(r);
        assertThat(problem.path("type").asText()).as("type of %s: %s", r.uri(), r.body()).isEqualTo(type.uri());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isEqualTo(type.title());
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(MARKER);
        if (pointer != null) {
            assertThat(StreamSupport.stream(problem.path("errors").spliterator(), false).map(e -> e.path("pointer").asText()))
                    .as("pointers of %s", r.body()).contains(pointer);
        }
    }

    private static byte[] replaceFirst(byte[] data, byte[] what, byte[] with) {
        String hay = new String(data, StandardCharsets.ISO_8859_1);
        String needle = new String(what, StandardCharsets.ISO_8859_1);
        return hay.replaceFirst(java.util.regex.Pattern.quote(needle), new String(with, StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Every file in storage lies in the folder of a submission row. (Temporary files in such a folder are the
     * workers' writes in progress; CrashRecoveryIT checks none is left once everything is done.)
     */
    private void assertNoFileWithoutRow() throws IOException {
        Path storage = dataDir().resolve("storage");
        if (!Files.isDirectory(storage)) {
            return;
        }
        Set<String> prefixes = new HashSet<>(jdbc.queryForList("SELECT storage_prefix FROM submission", String.class));
        List<String> orphans = new ArrayList<>();
        try (Stream<Path> files = Files.walk(storage)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String key = storage.relativize(f).toString().replace('\\', '/');
                boolean referenced = prefixes.stream().anyMatch(key::startsWith);
                if (!referenced) {
                    orphans.add(key);
                }
            }
        }
        assertThat(orphans).as("files in storage without a submission row").isEmpty();
    }

}
