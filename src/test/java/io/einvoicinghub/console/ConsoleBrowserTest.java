package io.einvoicinghub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.submission.UnifiedJson;
import io.einvoicinghub.testsupport.HeadlessChromium;
import io.einvoicinghub.testsupport.HubIntegrationTest;
import io.einvoicinghub.tools.LargeInvoiceGenerator;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in headless Chromium against the whole hub: what an operator does with it, each page read
 * from the public API. Screenshots of the main pages go to target/console-screenshots (copies in docs/console/).
 */
class ConsoleBrowserTest extends HubIntegrationTest {

    private static HeadlessChromium browser;

    @Autowired
    CamelContext camelContext;

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

    private String submit(String sample, String erpDocumentId) {
        ObjectNode submission = sample(sample);
        ((ObjectNode) submission.get("context")).put("erpDocumentId", erpDocumentId);
        var accepted = post("/api/v1/submissions", text(submission));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted).path("id").asText();
    }

    private void open(String hash) {
        browser.driver().get(uri("/console/index.html#" + hash).toString());
    }

    /** The ids of the listed submissions, read in one script call so a re-rendering page cannot go stale under it. */
    @SuppressWarnings("unchecked")
    private List<String> listedIds() {
        return (List<String>) browser.driver().executeScript(
                "return Array.from(document.querySelectorAll('a.open')).map(a => a.dataset.id)");
    }

    @Test
    void rootLeadsToTheConsoleAndTheListFindsSubmissionsByFilter() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String valid = submit("valid/02-standard-and-reduced-rates.json", "CON-OK-" + run);
        String invalid = submit("invalid/01-tax-inclusive-total-wrong.json", "CON-BAD-" + run);
        awaitTerminal(valid);
        awaitTerminal(invalid);

        browser.driver().get(uri("/").toString());
        browser.await(By.cssSelector("form.filters"));
        assertThat(browser.driver().getCurrentUrl()).contains("/console/index.html");
        assertThat(browser.driver().findElement(By.id("login")).isDisplayed()).as("no login on an open hub").isFalse();

        // by ERP document id: exactly the valid one
        browser.driver().findElement(By.id("erpDocumentId")).sendKeys("CON-OK-" + run);
        browser.driver().findElement(By.cssSelector("form.filters button[type=submit]")).click();
        browser.until(() -> listedIds().equals(List.of(valid)), "the valid submission alone is listed");
        assertThat(browser.driver().findElement(By.cssSelector("[data-status=Completed]")).getText()).isEqualTo("Completed 1");
        assertThat(browser.driver().findElement(By.cssSelector("[data-status=all]")).getText()).isEqualTo("All 1");

        // by status Failed over all submissions of this run's legal entity: the invalid one is among them, the valid one not
        open("/submissions?legalEntity=DE01&status=Failed");
        browser.until(() -> listedIds().contains(invalid), "the failed submission is listed under Failed");
        assertThat(listedIds()).doesNotContain(valid);
        new Select(browser.driver().findElement(By.id("feature"))).selectByValue("xrechnung-ubl");
        browser.driver().findElement(By.cssSelector("form.filters button[type=submit]")).click();
        browser.until(() -> browser.driver().getCurrentUrl().contains("feature=xrechnung-ubl"), "feature filter applied");
        browser.until(() -> listedIds().contains(invalid), "still listed with its feature");
        browser.screenshot("submissions");

        // verdict filter: the features shipped today never ask an authority, so nothing is Accepted
        open("/submissions?erpDocumentId=CON-BAD-" + run + "&verdict=Accepted");
        browser.until(() -> browser.driver().findElements(By.cssSelector("table tbody td")).size() == 1, "empty list");
        assertThat(listedIds()).isEmpty();
    }

    @Test
    void failedSubmissionShowsItsRuleIdsAndHighlightsTheSourceField() throws Exception {
        String id = submit("invalid/01-tax-inclusive-total-wrong.json", "CON-DETAIL-" + UUID.randomUUID());
        JsonNode log = awaitTerminal(id);
        assertThat(log.path("status").asText()).isEqualTo("Failed");

        open("/submissions/" + id);
        browser.await(By.cssSelector("code.rule-id"));
        List<String> ruleIds = browser.driver().findElements(By.cssSelector("code.rule-id")).stream().map(WebElement::getText).toList();
        assertThat(ruleIds).contains("BR-CO-15");
        browser.screenshot("submission-failed");

        WebElement sourceField = browser.driver().findElements(By.cssSelector("button.source-field")).stream()
                .filter(b -> b.getText().equals("/document/totals/taxInclusiveAmount")).findFirst().orElseThrow();
        sourceField.click();
        WebElement hit = browser.await(By.cssSelector(".field-hit"));
        assertThat(hit.getAttribute("data-pointer")).isEqualTo("/document/totals/taxInclusiveAmount");
        assertThat(hit.getText()).as("shown as the ERP wrote it").isEqualTo("1718.40");
        assertThat(browser.driver().switchTo().activeElement()).as("keyboard focus moves to the field").isEqualTo(hit);
        browser.screenshot("submission-source-field");

        // one file, as the log lists it: the downloaded bytes have the logged digest
        JsonNode output = null;
        for (JsonNode a : log.path("artifacts")) {
            if ("output".equals(a.path("kind").asText())) {
                output = a;
            }
        }
        assertThat(output).isNotNull();
        String name = output.path("name").asText();
        browser.driver().findElement(By.cssSelector("button.download-file[data-name='" + name + "']")).click();
        Path file = browser.awaitDownload(name);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
                .isEqualTo(output.path("sha256").asText());

        // the file viewed pretty-printed in the page
        browser.driver().findElement(By.cssSelector("button.view-file[data-name='" + name + "']")).click();
        assertThat(browser.await(By.id("file-content")).getText()).contains("<cbc:TaxInclusiveAmount");

        // all files as one ZIP: the inputs and every file of the run
        browser.driver().findElement(By.id("download-zip")).click();
        Path zip = browser.awaitDownload("submission-" + id + "-run-1.zip");
        TreeSet<String> entries = new TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        TreeSet<String> expected = new TreeSet<>(List.of("input/document.json", "input/context.json"));
        for (JsonNode a : log.path("artifacts")) {
            if (!"input".equals(a.path("kind").asText())) {
                expected.add(a.path("name").asText());
            }
        }
        assertThat(entries).isEqualTo(expected);

        // invoice rendering of what was sent
        browser.driver().findElement(By.id("show-invoice")).click();
        assertThat(browser.await(By.id("invoice-title")).getText()).startsWith("Invoice ");
    }

    @Test
    void resubmitAndCancelAskForConfirmation() throws Exception {
        String failed = submit("invalid/01-tax-inclusive-total-wrong.json", "CON-RESUBMIT-" + UUID.randomUUID());
        awaitTerminal(failed);
        open("/submissions/" + failed);
        browser.await(By.id("resubmit")).click();
        assertThat(browser.driver().switchTo().alert().getText()).startsWith("Resubmit submission");
        browser.driver().switchTo().alert().dismiss();
        assertThat(json(get("/api/v1/submissions/" + failed)).path("run").asInt()).as("dismissed: nothing happens").isEqualTo(1);
        browser.await(By.id("resubmit")).click();
        browser.driver().switchTo().alert().accept();
        browser.until(() -> json(get("/api/v1/submissions/" + failed)).path("run").asInt() == 2, "second run");
        assertThat(awaitTerminal(failed).path("history").size()).isEqualTo(6);

        // a submission the worker has not taken yet: the worker is paused while it is canceled
        camelContext.getRouteController().suspendRoute("process-submission");
        String waiting;
        try {
            waiting = submit("valid/01-standard-rate-sepa-transfer.json", "CON-CANCEL-" + UUID.randomUUID());
            open("/submissions/" + waiting);
            browser.awaitText(By.cssSelector("dd[data-term=Status]"), "Scheduled");
            browser.screenshot("submission-scheduled");
            browser.driver().findElement(By.id("cancel")).click();
            browser.driver().switchTo().alert().accept();
            browser.awaitText(By.cssSelector("dd[data-term=Status]"), "Canceled");
        } finally {
            camelContext.getRouteController().resumeRoute("process-submission");
        }
        assertThat(json(get("/api/v1/submissions/" + waiting)).path("status").asText()).isEqualTo("Canceled");
        assertThat(browser.driver().findElement(By.id("resubmit")).isEnabled()).isTrue();
    }

    @Test
    void dashboardCountsChangeWithNewSubmissions() {
        String entity = "DB" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String first = submitFor(entity, "valid/03-zero-rated.json");
        String failed = submitFor(entity, "invalid/01-tax-inclusive-total-wrong.json");
        awaitTerminal(first);
        awaitTerminal(failed);

        open("/dashboard?legalEntity=" + entity);
        browser.awaitText(By.id("kpi-documents"), "2");
        assertThat(browser.driver().findElement(By.id("kpi-failed")).getText()).isEqualTo("1");
        assertThat(browser.driver().findElement(By.id("kpi-failure-rate")).getText()).isEqualTo("50.0 %");
        assertThat(browser.driver().findElements(By.cssSelector("figure.chart svg rect"))).isNotEmpty();
        assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("BR-CO-15");

        awaitTerminal(submitFor(entity, "valid/04-exempt.json"));
        browser.driver().navigate().refresh();
        browser.awaitText(By.id("kpi-documents"), "3");
        assertThat(browser.driver().findElement(By.id("kpi-completed")).getText()).isEqualTo("2");
        assertThat(browser.driver().findElement(By.id("kpi-failure-rate")).getText()).isEqualTo("33.3 %");
        browser.screenshot("dashboard");
    }

    private String submitFor(String legalEntity, String sample) {
        ObjectNode submission = sample(sample);
        ((ObjectNode) submission.get("context")).put("legalEntity", legalEntity).put("erpDocumentId", "CON-" + UUID.randomUUID());
        var accepted = post("/api/v1/submissions", text(submission));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted).path("id").asText();
    }

    @Test
    void dryRunShowsTheGeneratedFileAndFindingsWithoutCreatingASubmission() throws Exception {
        ObjectNode submission = sample("invalid/01-tax-inclusive-total-wrong.json");
        String erpId = "CON-TRY-" + UUID.randomUUID();
        ((ObjectNode) submission.get("context")).put("erpDocumentId", erpId);
        Path file = Files.createTempFile("try-", ".json");
        Files.writeString(file, text(submission));

        open("/try");
        browser.await(By.id("try-file")).sendKeys(file.toAbsolutePath().toString());
        browser.until(() -> !browser.driver().findElement(By.id("try-json")).getAttribute("value").isEmpty(), "file loaded");
        new Select(browser.driver().findElement(By.id("try-feature"))).selectByValue("peppol-bis-ubl");
        browser.driver().findElement(By.id("try-run")).click();
        browser.awaitText(By.id("try-outcome"), "Invalid");
        assertThat(browser.driver().findElement(By.id("try-result")).getText()).contains("peppol-bis-ubl");
        assertThat(browser.driver().findElements(By.cssSelector("code.rule-id")).stream().map(WebElement::getText)).contains("BR-CO-15");
        assertThat(browser.driver().findElement(By.cssSelector("pre.try-file")).getText())
                .contains("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
        browser.screenshot("try-a-document");

        var none = json(get("/api/v1/submissions?erpDocumentId=" + URLEncoder.encode(erpId, StandardCharsets.UTF_8)));
        assertThat(none.path("items")).as("a dry run creates no submission").isEmpty();

        // a schema violation is shown with its pointer, as intake would refuse it
        ObjectNode broken = sample("invalid/08-missing-issue-date.json");
        browser.driver().findElement(By.id("try-json")).clear();
        browser.driver().findElement(By.id("try-json")).sendKeys(new String(UnifiedJson.write(broken), StandardCharsets.UTF_8));
        new Select(browser.driver().findElement(By.id("try-feature"))).selectByIndex(0);
        browser.driver().findElement(By.id("try-run")).click();
        assertThat(browser.await(By.id("try-problem")).getText()).contains("schema");
    }

    /** The issue's bound: the log of a 10,000-line invoice opens in under 2 s; the heavier views are measured too. */
    @Test
    void logOfATenThousandLineInvoiceOpensInUnderTwoSeconds() throws Exception {
        ObjectNode large = (ObjectNode) UnifiedJson.parse(LargeInvoiceGenerator.generate(10_000).getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) large.get("context")).put("erpDocumentId", "CON-LARGE-" + UUID.randomUUID());
        var accepted = post("/api/v1/submissions", text(large));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).path("id").asText();
        // generous: on a loaded machine transforming and validating 10,000 lines can take minutes
        Instant deadline = Instant.now().plus(Duration.ofMinutes(6));
        while (!json(get("/api/v1/submissions/" + id)).path("status").asText().equals("Completed")) {
            assertThat(Instant.now()).as("the 10,000-line invoice is processed in time").isBefore(deadline);
            assertThat(json(get("/api/v1/submissions/" + id)).path("status").asText()).isIn("Scheduled", "Executing", "Completed");
            Thread.sleep(500);
        }

        open("/submissions");
        browser.await(By.cssSelector("form.filters"));
        long started = System.nanoTime();
        open("/submissions/" + id);
        browser.awaitText(By.cssSelector("dd[data-term=Status]"), "Completed");
        browser.await(By.id("download-zip"));
        long pageMillis = (System.nanoTime() - started) / 1_000_000;

        started = System.nanoTime();
        browser.driver().findElement(By.id("show-invoice")).click();
        browser.awaitText(By.cssSelector("#invoice-view caption"), "Lines 1–500 of 10000");
        long invoiceMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        browser.driver().findElement(By.id("all-lines")).click();
        browser.until(() -> (Boolean) browser.driver().executeScript(
                "return document.querySelectorAll('#invoice-view tbody tr').length > 10000"), "all invoice lines");
        long allLinesMillis = (System.nanoTime() - started) / 1_000_000;

        started = System.nanoTime();
        browser.driver().findElement(By.id("show-json")).click();
        browser.await(By.id("source-title"));
        long jsonMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("10,000-line invoice: log page %d ms, invoice view %d ms (all lines %d ms), submitted JSON %d ms%n",
                pageMillis, invoiceMillis, allLinesMillis, jsonMillis);
        assertThat(pageMillis).isLessThan(2000);
    }

    @Test
    void featuresAndApiExplorer() {
        open("/features");
        WebElement feature = browser.await(By.cssSelector("section[data-feature=xrechnung-ubl]"));
        assertThat(feature.findElement(By.className("applicability")).getText())
                .contains("country equals DE").contains("variables.recipientType equals public");
        assertThat(feature.getText()).contains("de.xrechnung:ubl-invoice:3.0.2");
        browser.screenshot("features");

        browser.driver().findElement(By.linkText("API explorer")).click();
        browser.await(By.cssSelector(".opblock"));
        assertThat(browser.driver().findElement(By.id("swagger-ui")).getText()).contains("/submissions/{id}/artifacts.zip");
        browser.screenshot("api-explorer");
    }
}
