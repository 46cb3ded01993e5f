package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionQueue;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.Verdict;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the ERP sees when processing goes wrong (a clear Failed status, nothing lost), when messages are
 * duplicated, and when it cancels.
 */
class ProcessingLifecycleTest extends HubIntegrationTest {

    @Autowired
    SubmissionRepository repository;

    @Autowired
    SubmissionQueue queue;

    private String scheduledRow(String featureId, String storagePrefix) {
        String id = scheduledRowNotQueued(featureId, storagePrefix);
        queue.enqueue(id);
        return id;
    }

    private String scheduledRowNotQueued(String featureId, String storagePrefix) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String id = UUID.randomUUID().toString();
        repository.insert(new Submission(id, "FAIL", "DE", "Invoice", "ERP-" + id, "h-" + id, null, featureId, "1.0.0",
                SubmissionStatus.Scheduled, Verdict.NotRequested, null, storagePrefix, 1, null, null, false, now, now, null), "test");
        return id;
    }

    @Test
    void featureRemovedAfterAcceptanceFailsWithItsName() {
        JsonNode done = awaitTerminal(scheduledRow("retired-feature", "FAIL/2026/11/26/x/"));

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).contains("retired-feature").contains("no longer installed");
    }

    @Test
    void missingStoredInputFailsTheRunWithTheReasonAndTheFailedStep() {
        JsonNode done = awaitTerminal(scheduledRow("xrechnung-ubl", "FAIL/2026/11/26/" + UUID.randomUUID() + "/"));

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("statusMessage").asText()).startsWith("Processing failed:").contains("01-document.json");
        assertThat(done.path("steps").get(0).path("status").asText()).isEqualTo("Failed");
        assertThat(StreamSupport.stream(done.path("history").spliterator(), false).map(h -> h.path("to").asText()))
                .containsExactly("Scheduled", "Executing", "Failed");
    }

    @Test
    void duplicateQueueMessagesProcessASubmissionOnce() {
        ObjectNode submission = sample("valid/02-standard-and-reduced-rates.json");
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "DUP-" + UUID.randomUUID());
        String id = json(post("/api/v1/submissions", text(submission))).path("id").asText();
        for (int i = 0; i < 5; i++) {
            queue.enqueue(id);
        }
        JsonNode done = awaitTerminal(id);
        for (int i = 0; i < 3; i++) {
            queue.enqueue(id);
        }
        awaitTerminal(scheduledRow("retired-feature", "FAIL/x/")); // a later message has certainly been consumed

        JsonNode after = json(get("/api/v1/submissions/" + id));
        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(StreamSupport.stream(after.path("history").spliterator(), false).map(h -> h.path("to").asText()))
                .containsExactly("Scheduled", "Executing", "Completed");
        assertThat(after.path("steps")).hasSize(2);
    }

    @Test
    void markupInsideJsonTextIsEscapedIntoTheXmlNeverParsed() {
        ObjectNode submission = sample("valid/01-standard-rate-sepa-transfer.json");
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "XXE-" + UUID.randomUUID());
        String hostile = "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><x>&xxe;</x>";
        ((ObjectNode) submission.get("document").get("notes").get(0)).put("text", hostile);
        HttpResponse<String> accepted = post("/api/v1/submissions", text(submission));

        JsonNode done = awaitTerminal(json(accepted).path("id").asText());

        assertThat(done.path("status").asText()).isEqualTo("Completed");
        JsonNode output = StreamSupport.stream(done.path("artifacts").spliterator(), false)
                .filter(a -> a.path("kind").asText().equals("output")).findFirst().orElseThrow();
        String xml = new String(getBytes(output.path("href").asText()).body());
        assertThat(xml).contains("&lt;!DOCTYPE x").doesNotContain("root:");
    }

    @Test
    void scheduledSubmissionIsCanceledAtOnceAndALateMessageDoesNotRunIt() {
        String id = scheduledRowNotQueued("xrechnung-ubl", "FAIL/2026/11/26/" + UUID.randomUUID() + "/");

        HttpResponse<String> canceled = post("/api/v1/submissions/" + id + "/cancel", "");
        queue.enqueue(id);
        awaitTerminal(scheduledRow("retired-feature", "FAIL/x/")); // the late message has been consumed by now

        assertThat(canceled.statusCode()).isEqualTo(202);
        assertThat(json(canceled).path("status").asText()).isEqualTo("Canceled");
        JsonNode after = json(get("/api/v1/submissions/" + id));
        assertThat(after.path("status").asText()).isEqualTo("Canceled");
        assertThat(StreamSupport.stream(after.path("history").spliterator(), false).map(h -> h.path("to").asText()))
                .containsExactly("Scheduled", "Canceled");
        assertThat(post("/api/v1/submissions/" + id + "/cancel", "").statusCode()).isEqualTo(409);
    }

    @Test
    void rowWhoseQueueMessageWasLostIsPickedUpWithinSeconds() {
        // a row committed without its message (a kill between the commit and the send): the sweep queues it
        long start = System.nanoTime();
        String id = scheduledRowNotQueued("retired-feature", "FAIL/2026/12/01/" + UUID.randomUUID() + "/");

        JsonNode done = awaitTerminal(id);

        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat((System.nanoTime() - start) / 1_000_000_000).as("seconds until picked up").isLessThan(30);
    }
}
