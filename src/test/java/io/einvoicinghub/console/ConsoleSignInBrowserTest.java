package io.einvoicinghub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.testsupport.HeadlessChromium;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console on a hub that requires API keys: a browser without a key sees the sign-in form and no data;
 * with a key bound to one legal entity it sees exactly what the API answers for that key — that legal entity's
 * submissions only, in the list, the counts, a submission's page, the dashboard and downloads.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConsoleSignInBrowserTest extends HubIntegrationTest {

    /** Bound to legal entity DE01 only. */
    private static final String KEY = "console-" + UUID.randomUUID();
    /** Every legal entity: submits the other legal entity's document the DE01 key must not see. */
    private static final String ALL_KEY = "console-all-" + UUID.randomUUID();
    private static HeadlessChromium browser;

    @DynamicPropertySource
    static void keysAndOwnData(DynamicPropertyRegistry registry) throws IOException {
        // a data folder of its own: two embedded brokers must never share a journal
        String dataDir = Files.createTempDirectory("hub-console-keys-").toString();
        registry.add("hub.data-dir", () -> dataDir);
        registry.add("spring.artemis.embedded.data-directory", () -> dataDir + "/broker");
        registry.add("hub.security.keys[0].name", () -> "de01-console");
        registry.add("hub.security.keys[0].sha256", () -> sha256(KEY));
        registry.add("hub.security.keys[0].legal-entities", () -> "DE01");
        registry.add("hub.security.keys[0].scopes", () -> "submit,read");
        registry.add("hub.security.keys[1].name", () -> "all-entities");
        registry.add("hub.security.keys[1].sha256", () -> sha256(ALL_KEY));
        registry.add("hub.security.keys[1].legal-entities", () -> "*");
        registry.add("hub.security.keys[1].scopes", () -> "submit,read");
    }

    private static String sha256(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void openBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private JsonNode getWithKey(String path) {
        return json(send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", KEY).GET().build()));
    }

    @Test
    void withoutAKeyTheConsoleAsksForOneAndShowsNoData() {
        ObjectNode submission = sample("valid/01-standard-rate-sepa-transfer.json");
        ((ObjectNode) submission.get("context")).put("erpDocumentId", "CON-KEY-" + UUID.randomUUID());
        var accepted = post("/api/v1/submissions", text(submission), "Authorization", "Bearer " + KEY);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted).path("id").asText();
        awaitTerminalWithKey(id);
        ObjectNode other = sample("valid/02-standard-and-reduced-rates.json");
        ((ObjectNode) other.get("context")).put("legalEntity", "DE02").put("erpDocumentId", "CON-OTHER-" + UUID.randomUUID());
        var otherAccepted = post("/api/v1/submissions", text(other), "Authorization", "Bearer " + ALL_KEY);
        assertThat(otherAccepted.statusCode()).as(otherAccepted.body()).isEqualTo(202);
        String otherId = json(otherAccepted).path("id").asText();

        browser.driver().get(uri("/").toString());
        browser.await(By.id("api-key"));
        assertThat(browser.driver().findElement(By.id("view")).getText()).as("no data before sign-in").isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("a.open"))).isEmpty();
        browser.screenshot("sign-in");

        // a wrong key is refused and nothing is shown
        browser.driver().findElement(By.id("api-key")).sendKeys("not-" + KEY);
        browser.driver().findElement(By.cssSelector("#login-form button[type=submit]")).click();
        browser.awaitText(By.id("login-error"), "not accepted");
        assertThat(browser.driver().findElement(By.id("view")).getText()).isEmpty();

        // the right key: the list is the API's answer for that key
        browser.driver().findElement(By.id("api-key")).clear();
        browser.driver().findElement(By.id("api-key")).sendKeys(KEY);
        browser.driver().findElement(By.cssSelector("#login-form button[type=submit]")).click();
        browser.await(By.cssSelector("a.open"));
        List<String> expected = new ArrayList<>();
        JsonNode visible = getWithKey("/api/v1/submissions?limit=50").path("items");
        visible.forEach(s -> expected.add(s.path("id").asText()));
        assertThat(visible).as("the API shows the DE01 key its own legal entity only")
                .allSatisfy(s -> assertThat(s.path("legalEntity").asText()).isEqualTo("DE01"));
        assertThat(expected).contains(id).doesNotContain(otherId);
        assertThat(browser.driver().findElements(By.cssSelector("a.open")).stream().map(a -> a.getAttribute("data-id")).toList())
                .isEqualTo(expected);
        assertThat(browser.driver().findElement(By.cssSelector("[data-status=all]")).getText())
                .isEqualTo("All " + getWithKey("/api/v1/submissions/counts").path("total").asLong());

        // the other legal entity's submission, by its id, is not found in any page or download
        browser.driver().get(uri("/console/index.html#/submissions/" + otherId).toString());
        assertThat(browser.await(By.cssSelector("main .error")).getText()).contains("No submission");
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + otherId + "/artifacts.zip"))
                .header("Authorization", "Bearer " + KEY).GET().build()).statusCode()).isEqualTo(404);
        browser.driver().get(uri("/console/index.html#/submissions?legalEntity=DE02").toString());
        browser.awaitText(By.cssSelector("[data-status=all]"), "All 0");
        browser.driver().get(uri("/console/index.html#/dashboard").toString());
        browser.awaitText(By.id("kpi-documents"), getWithKey("/api/v1/usage").path("documents").asText());
        assertThat(getWithKey("/api/v1/usage").path("counts")).allSatisfy(c -> assertThat(c.path("legalEntity").asText()).isEqualTo("DE01"));
        assertThat(getWithKey("/api/v1/usage?legalEntity=DE02").path("documents").asLong()).isZero();
        assertThat(json(send(HttpRequest.newBuilder(uri("/api/v1/usage?legalEntity=DE02")).header("Authorization", "Bearer " + ALL_KEY)
                .GET().build())).path("documents").asLong()).as("the other legal entity's document exists").isPositive();

        // a download goes through fetch with the key: a bare link would be answered 401
        assertThat(get("/api/v1/submissions/" + id + "/artifacts.zip").statusCode()).isEqualTo(401);
        browser.driver().get(uri("/console/index.html#/submissions/" + id).toString());
        browser.await(By.id("download-zip")).click();
        assertThat(browser.awaitDownload("submission-" + id + "-run-1.zip")).isNotEmptyFile();

        // signing out forgets the key
        browser.driver().findElement(By.id("sign-out")).click();
        browser.await(By.id("api-key"));
        browser.driver().navigate().refresh();
        browser.await(By.id("api-key"));
        assertThat(browser.driver().findElements(By.cssSelector("a.open"))).isEmpty();
    }

    private void awaitTerminalWithKey(String id) {
        for (int i = 0; i < 600; i++) {
            String status = json(send(HttpRequest.newBuilder(uri("/api/v1/submissions/" + id))
                    .header("Authorization", "Bearer " + ALL_KEY).GET().build())).path("status").asText();
            if (List.of("Completed", "Failed", "Canceled").contains(status)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Submission " + id + " did not finish");
    }
}
