package io.einvoicinghub.processing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The callback path of the engine: a run waits in {@code wait-for-callback} (test feature {@code test-webhook},
 * whose safety recheck is 5 minutes) and the authority's notification, posted to
 * {@code /api/v1/callbacks/{key}}, resumes it at once; the notification counts once; no notification within
 * the wait fails the run ({@code test-webhook-expiring}).
 */
class CallbackPipelineTest extends EngineTestHub {

    private static final String ACCEPTED = "{\"status\":{\"code\":\"200\",\"description\":\"Accepted\"},\"authorityNumber\":\"AUTH-CB-1\"}";

    /** The authority's reference for the invoice carrying {@code marker}: the key the feature waits on. */
    private static String reference(String marker) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            var hit = AUTHORITY.received.stream().filter(r -> r.body().contains(marker)).findFirst();
            if (hit.isPresent()) {
                return hit.get().reference();
            }
            sleep(50);
        }
        throw new AssertionError("The authority never received " + marker);
    }

    private String pendingOn(String marker, String feature) {
        String id = submit(marker, feature);
        JsonNode pending = await(id, s -> s.path("status").asText().equals("Pending"), Duration.ofSeconds(30));
        assertThat(pending.path("verdict").asText()).isEqualTo("Awaiting");
        assertThat(pending.path("statusMessage").asText()).contains("Waiting for the notification");
        return id;
    }

    @Test
    void notificationResumesThePendingRunAtOnceAndIsStoredAsAFile() {
        String id = pendingOn("CBHAPPY", "test-webhook");
        String key = "webhook-" + reference("CBHAPPY");

        long posted = System.nanoTime();
        HttpResponse<String> answer = post("/api/v1/callbacks/" + key, ACCEPTED);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(json(answer).path("submissionId").asText()).isEqualTo(id);
        JsonNode done = await(id, s -> s.path("status").asText().equals("Completed"), Duration.ofSeconds(20));
        long millis = (System.nanoTime() - posted) / 1_000_000;

        assertThat(millis).as("woken by the notification, not by the 5-minute recheck").isLessThan(5_000);
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(done.path("authorityOutputs").toString()).contains("AUTH-CB-1");
        JsonNode file = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .filter(a -> a.path("kind").asText().equals("callback")).findFirst().orElseThrow();
        assertThat(file.path("name").asText()).isEqualTo("notification-callback.json");
        assertThat(new String(download(file.path("href").asText()), StandardCharsets.UTF_8)).isEqualTo(ACCEPTED);
        assertThat(AUTHORITY.receivedContaining("CBHAPPY")).isEqualTo(1);
    }

    @Test
    void aSecondNotificationForTheSameKeyIsRefusedAndTheFirstCounts() {
        String id = pendingOn("CBTWICE", "test-webhook");
        String key = "webhook-" + reference("CBTWICE");
        String rejected = "{\"status\":{\"code\":\"400\",\"description\":\"Rejected\"},\"errors\":[{\"code\":\"E-9\",\"message\":\"Duplicate\"}]}";

        assertThat(post("/api/v1/callbacks/" + key, ACCEPTED).statusCode()).isEqualTo(202);
        HttpResponse<String> second = post("/api/v1/callbacks/" + key, rejected);

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).path("type").asText()).isEqualTo("urn:einvoicing-hub:problem:callback-already-received");
        JsonNode done = awaitTerminal(id);
        assertThat(done.path("verdict").asText()).isEqualTo("Accepted");
        assertThat(done.path("findings").toString()).doesNotContain("E-9");
    }

    @Test
    void rejectingNotificationCompletesRejectedWithTheAuthoritysCodes() {
        String id = pendingOn("CBREJECT", "test-webhook");
        String rejection = "{\"status\":{\"code\":\"400\",\"description\":\"Seller unknown\"},"
                + "\"errors\":[{\"code\":\"E-31\",\"message\":\"Seller tax id is not registered\"}]}";

        assertThat(post("/api/v1/callbacks/webhook-" + reference("CBREJECT"), rejection).statusCode()).isEqualTo(202);
        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("verdict").asText()).isEqualTo("Rejected");
        assertThat(done.path("findings").toString()).contains("E-31").contains("Seller tax id is not registered");
    }

    @Test
    void badNotificationsAreRefusedWithClearAnswersAndLeaveTheRunWaiting() {
        String id = pendingOn("CBBAD", "test-webhook");
        String key = "webhook-" + reference("CBBAD");

        assertThat(post("/api/v1/callbacks/no-such-key-" + key, ACCEPTED).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongType = post("/api/v1/callbacks/" + key, "text/plain", "done");
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(json(wrongType).path("detail").asText()).contains("application/json or application/xml");
        assertThat(post("/api/v1/callbacks/" + key, "").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/callbacks/" + key, "application/json; charset=ISO-8859-1", ACCEPTED).statusCode()).isEqualTo(415);

        sleep(500);
        assertThat(submission(id).path("status").asText()).isEqualTo("Pending");
        // an XML (e.g. SOAP) notification is taken as well
        assertThat(post("/api/v1/callbacks/" + key, "application/xml", "<esito>ok</esito>").statusCode()).isEqualTo(202);
        JsonNode done = awaitTerminal(id);
        assertThat(done.path("status").asText()).as("process-response wants JSON: a hub-side failure").isEqualTo("Failed");
        assertThat(done.path("artifacts").toString()).contains("notification-callback.xml");
    }

    @Test
    void noNotificationWithinTheWaitFailsTheRunWithAClearMessage() {
        String id = submit("CBEXPIRE", "test-webhook-expiring");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("no notification for correlation key 'expiring-")
                .contains("within PT2S");
        HttpResponse<String> late = post("/api/v1/callbacks/expiring-" + reference("CBEXPIRE"), ACCEPTED);
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(json(late).path("type").asText()).isEqualTo("urn:einvoicing-hub:problem:already-finished");
    }

    @Test
    void canceledWhileWaitingTheNotificationIsRefused() {
        String id = pendingOn("CBCANCEL", "test-webhook");

        assertThat(post("/api/v1/submissions/" + id + "/cancel", "").statusCode()).isEqualTo(202);
        HttpResponse<String> late = post("/api/v1/callbacks/webhook-" + reference("CBCANCEL"), ACCEPTED);

        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(submission(id).path("status").asText()).isEqualTo("Canceled");
    }
}
