package io.einvoicinghub.processing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sending feature built from catalogue actions (next-number, transform, validate, call-http,
 * wait-for-response, process-response, export-result) against an asynchronous authority: what the ERP
 * sees, and that each invoice reaches the authority exactly once whatever goes wrong on the way.
 */
class SendingPipelineTest extends EngineTestHub {

    @Autowired
    JdbcTemplate jdbc;

    private static List<String> values(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    @Test
    void acceptedInvoiceIsPendingAwaitingThenCompletedAcceptedWithTheAuthorityNumber() {
        String id = submit("HAPPY");

        JsonNode pending = await(id, s -> s.path("status").asText().equals("Pending"), Duration.ofSeconds(30));
        assertThat(pending.path("verdict").asText()).isEqualTo("Awaiting");
        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        String reference = AUTHORITY.received.stream().filter(r -> r.body().contains("INV-HAPPY")).findFirst().orElseThrow().reference();
        assertThat(done.path("authorityOutputs").toString()).contains("authorityNumber").contains("AUTH-" + reference);
        assertThat(values(done.path("steps"), "name")).containsSubsequence("number", "transform", "validate", "send", "wait",
                "process", "result");
        assertThat(values(done.path("steps"), "status")).containsOnly("Succeeded");
        assertThat(values(done.path("history"), "to")).containsExactly("Scheduled", "Executing", "Pending", "Completed");
        // every request and answer is stored, the bearer token redacted
        assertThat(values(done.path("artifacts"), "kind")).contains("request", "response", "result");
        JsonNode request = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .filter(a -> a.path("name").asText().equals("send-request.txt")).findFirst().orElseThrow();
        String stored = new String(download(request.path("href").asText()), StandardCharsets.UTF_8);
        assertThat(stored).contains("Authorization: ****").contains("Idempotency-Key: " + id).doesNotContain(TOKEN);
        // the file name carries the run's number from the sequence
        assertThat(values(done.path("artifacts"), "name")).anyMatch(n -> n.matches("invoice-T-\\d{4}-\\d{5}\\.xml"));
        assertThat(AUTHORITY.receivedContaining("INV-HAPPY")).isEqualTo(1);
    }

    @Test
    void rejectionIsCompletedRejectedWithTheAuthoritysCodesAsFindings() {
        JsonNode done = awaitTerminal(submit("REJECT"));

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Rejected");
        assertThat(values(done.path("findings"), "ruleId")).contains("E-21", "E-47");
        assertThat(done.path("statusMessage").asText()).contains("E-21").contains("Seller tax id is not registered");
        assertThat(done.path("authorityOutputs")).isEmpty();
    }

    @Test
    void serverErrorsUntilTheRetryLimitFailWithAClearMessageEachAttemptLogged() {
        JsonNode done = awaitTerminal(submit("ALWAYS503"));

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("Step send failed after 3 attempt(s)").contains("HTTP 503");
        assertThat(StreamSupport.stream(done.path("steps").spliterator(), false)
                .filter(s -> s.path("status").asText().equals("Retried"))).hasSize(2);
        assertThat(AUTHORITY.receivedContaining("ALWAYS503")).isZero();
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheAuthoritysRetryAfter() {
        long before = AUTHORITY.postAttempts.size();
        JsonNode done = awaitTerminal(submit("ONCE429"));

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(done.path("steps").toString()).contains("HTTP 429").contains("(Retry-After)");
        List<Long> attempts = AUTHORITY.postAttempts.subList((int) before, AUTHORITY.postAttempts.size());
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(attempts.get(1) - attempts.get(0)).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
    }

    @Test
    void answerLostAfterSendingIsRetriedWithoutASecondInvoiceAtTheAuthority() {
        JsonNode done = awaitTerminal(submit("LOSEONCE"));

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(AUTHORITY.receivedContaining("LOSEONCE")).isEqualTo(1);
    }

    @Test
    void stepRunningLongerThanTheLeaseIsNotExecutedTwice() {
        // lease 2 s, the authority answers the send after 4 s; recovery sweeps every second
        JsonNode done = awaitTerminal(submit("SLOWPOST"));

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        long posts = AUTHORITY.received.stream().filter(r -> r.body().contains("SLOWPOST")).count();
        assertThat(posts).isEqualTo(1);
        assertThat(values(done.path("history"), "to")).containsExactly("Scheduled", "Executing", "Pending", "Completed");
        assertThat(values(done.path("history"), "message")).noneMatch(m -> m.contains("Recovered"));
    }

    @Test
    void pendingSubmissionIsCanceledAtOnceAndNotLookedAtAgain() {
        String id = submit("SLOWANSWER");
        await(id, s -> s.path("status").asText().equals("Pending"), Duration.ofSeconds(30));

        assertThat(post("/api/v1/submissions/" + id + "/cancel", "").statusCode()).isEqualTo(202);
        int looks = AUTHORITY.looks("SLOWANSWER");
        sleep(2500);

        JsonNode after = submission(id);
        assertThat(after.path("status").asText()).isEqualTo("Canceled");
        assertThat(values(after.path("history"), "to")).containsExactly("Scheduled", "Executing", "Pending", "Canceled");
        assertThat(AUTHORITY.looks("SLOWANSWER")).isLessThanOrEqualTo(looks + 1); // at most one look already under way
    }

    @Test
    void noConfiguredSecretValueReachesALogLineAStoredFileOrACheckpoint() throws IOException {
        awaitTerminal(submit("SECRETSCAN"));

        assertThat(LOG_LINES).isNotEmpty().noneMatch(line -> line.contains(TOKEN));
        try (Stream<Path> files = Files.walk(DATA_DIR.resolve("storage"))) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).hasSizeGreaterThan(5);
            for (Path file : all) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(TOKEN);
            }
        }
        assertThat(jdbc.queryForList("SELECT state FROM submission_run", String.class)).noneMatch(s -> s.contains(TOKEN));
        assertThat(jdbc.queryForList("SELECT COALESCE(message, '') FROM submission_step", String.class)).noneMatch(s -> s.contains(TOKEN));
    }
}
