package io.einvoicinghub.cdar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.api.ProblemType;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Life-cycle statuses on the whole hub over HTTP with API keys: an ERP of the French entity FR01 posts status events
 * for its invoice and gets each CDAR message back; a buyer's CDAR message posted to the hub lands in that
 * invoice's log; unknown invoices and non-CDAR bodies are refused and kept; another legal entity's key sees none
 * of it and a read-only key cannot post.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.processing.concurrency=1", "hub.validation.warm-up-enabled=false"})
class InvoiceStatusApiTest {

    static final String KEY_FR01 = "fr-" + UUID.randomUUID();
    static final String KEY_FR01_READ = "fr-read-" + UUID.randomUUID();
    static final String KEY_DE01 = "de-" + UUID.randomUUID();
    static final String INVOICE_NUMBER = "FA-2026-" + (1000 + new java.util.Random().nextInt(9000));

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    /** The invoice all tests use, submitted once (the context, and so its database, is shared). */
    private static String submissionId;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("hub-cdar-");
        registry.add("hub.data-dir", dataDir::toString);
        key(registry, 0, "erp-fr01", KEY_FR01, "FR01", "submit,read");
        key(registry, 1, "erp-fr01-read", KEY_FR01_READ, "FR01", "read");
        key(registry, 2, "erp-de01", KEY_DE01, "DE01", "submit,read");
        // vendor invoices to the buyer endpoint of sample 13 are FR01's
        registry.add("hub.inbound.legal-entities[0].id", () -> "FR01");
        registry.add("hub.inbound.legal-entities[0].endpoint-ids", () -> "0088:4000001987658");
    }

    private static void key(DynamicPropertyRegistry registry, int n, String name, String key, String legalEntities, String scopes) {
        String prefix = "hub.security.keys[" + n + "].";
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "sha256", () -> sha256(key));
        registry.add(prefix + "legal-entities", () -> legalEntities);
        registry.add(prefix + "scopes", () -> scopes);
    }

    /**
     * A French seller (SIREN 123456782) invoicing a French buyer (SIREN 987654329), both with PA addresses; submitted
     * before each test's first call (Camel starts the API routes only when the first test runs).
     */
    @BeforeEach
    void submitTheInvoiceOnce() throws Exception {
        if (submissionId != null) {
            return;
        }
        ObjectNode submission = (ObjectNode) UnifiedJson.mapper().readTree(Path.of("samples/valid/01-standard-rate-sepa-transfer.json").toFile());
        ObjectNode context = (ObjectNode) submission.get("context");
        context.put("legalEntity", "FR01").put("country", "FR").put("erpDocumentId", "CDAR-" + UUID.randomUUID())
                .put("featureHint", "en16931-cii");
        context.remove("variables");
        ObjectNode document = (ObjectNode) submission.get("document");
        document.put("number", INVOICE_NUMBER).put("issueDate", "2026-11-20");
        ObjectNode seller = (ObjectNode) document.get("seller");
        seller.put("name", "Atelier Lumière SARL").put("vatId", "FR32123456782");
        seller.putObject("legalRegistration").put("id", "123456782").put("schemeId", "0002");
        seller.putObject("electronicAddress").put("id", "123456782_STATUTS").put("schemeId", "0225");
        ObjectNode buyer = (ObjectNode) document.get("buyer");
        buyer.put("name", "Bureau Horizon SA").put("vatId", "FR12987654329");
        buyer.putObject("legalRegistration").put("id", "987654329").put("schemeId", "0002");
        buyer.putObject("electronicAddress").put("id", "987654329").put("schemeId", "0225");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(600));
        HttpResponse<String> accepted;
        // the readiness gate answers 503 until the hub has started
        while ((accepted = call("POST", "/api/v1/submissions", submission.toString(), "application/json", KEY_FR01)).statusCode() == 503) {
            assertThat(Instant.now()).as("hub ready").isBefore(deadline);
            Thread.sleep(200);
        }
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        submissionId = json(accepted).path("id").asText();
        while (!List.of("Completed", "Failed").contains(json(call("GET", "/api/v1/submissions/" + submissionId, null, null, KEY_FR01))
                .path("status").asText())) {
            assertThat(Instant.now()).as("submission finished").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void eachStatusEventGivesItsValidatedCdarMessageAndAHistoryRow() throws Exception {
        record Case(String event, String code, String label, String reasonCode, String amount) {
        }
        List<Case> cases = List.of(
                new Case("{\"status\": \"200\"}", "200", "Déposée", null, null),
                new Case("{\"status\": \"202\"}", "202", "Reçue par la plateforme", null, null),
                new Case("{\"status\": \"213\", \"reason\": {\"code\": \"DOUBLON\", \"text\": \"Déjà déposée\"}}", "213", "Rejetée", "DOUBLON", null),
                new Case("{\"status\": \"205\", \"statusAt\": \"2026-12-01T15:00:00+01:00\"}", "205", "Approuvée", null, null),
                new Case("{\"status\": \"206\", \"reason\": {\"code\": \"QTE_ERR\", \"text\": \"2 colis sur 3\"}}", "206", "Approuvée partiellement", "QTE_ERR", null),
                new Case("{\"status\": \"207\", \"reason\": {\"code\": \"PU_ERR\", \"text\": \"Prix unitaire\"}}", "207", "En litige", "PU_ERR", null),
                new Case("{\"status\": \"208\", \"reason\": {\"code\": \"JUSTIF_ABS\", \"text\": \"Bon de livraison\"}}", "208", "Suspendue", "JUSTIF_ABS", null),
                new Case("{\"status\": \"210\", \"reason\": {\"code\": \"TX_TVA_ERR\", \"text\": \"Taux de TVA\"}}", "210", "Refusée", "TX_TVA_ERR", null),
                new Case("{\"status\": \"211\", \"amount\": 1618.40}", "211", "Paiement transmis", null, "1618.40"),
                // "Encaissée" without an amount: the invoice's amount due, as the sample writes it (BT-115 1618.40)
                new Case("{\"status\": \"212\"}", "212", "Encaissée", null, "1618.40"));
        int before = history().size();
        for (Case c : cases) {
            HttpResponse<String> r = call("POST", "/api/v1/submissions/" + submissionId + "/statuses", c.event(),
                    "application/json", KEY_FR01);
            assertThat(r.statusCode()).as(c.event() + " -> " + r.body()).isEqualTo(201);
            JsonNode status = json(r);
            assertThat(status.path("status").asText()).isEqualTo(c.code());
            assertThat(status.path("label").asText()).isEqualTo(c.label());
            assertThat(status.path("source").asText()).isEqualTo("event");
            assertThat(status.path("outcome").asText()).isEqualTo("recorded");
            assertThat(status.path("invoiceNumber").asText()).isEqualTo(INVOICE_NUMBER);
            assertThat(status.path("sellerId").asText()).isEqualTo("123456782");
            assertThat(r.headers().firstValue("Location")).hasValue(status.path("links").path("message").asText());

            HttpResponse<byte[]> message = bytes(status.path("links").path("message").asText(), KEY_FR01);
            assertThat(message.statusCode()).isEqualTo(200);
            String xml = new String(message.body(), StandardCharsets.UTF_8);
            assertThat(xml).contains("<ram:ProcessConditionCode>" + c.code() + "</ram:ProcessConditionCode>")
                    .contains("<ram:IssuerAssignedID>" + INVOICE_NUMBER + "</ram:IssuerAssignedID>")
                    .contains("<ram:GlobalID schemeID=\"0002\">123456782</ram:GlobalID>")
                    .contains("<qdt:DateTimeString format=\"102\">20261120</qdt:DateTimeString>");
            if (c.reasonCode() != null) {
                assertThat(xml).contains("<ram:ReasonCode>" + c.reasonCode() + "</ram:ReasonCode>");
            }
            if (c.amount() != null) {
                assertThat(xml).contains("<ram:ValueAmount currencyID=\"EUR\">" + c.amount() + "</ram:ValueAmount>");
            }
            // checked here again with the shipped rules, independently of the hub's own check
            assertThat(new CdarRules().validate(message.body()).findings()).as(xml).isEmpty();
            // the same file is the submission's artifact of kind lifecycle
            HttpResponse<byte[]> artifact = bytes(status.path("links").path("artifact").asText(), KEY_FR01);
            assertThat(artifact.body()).isEqualTo(message.body());
        }
        List<JsonNode> history = history();
        assertThat(history.subList(before, history.size()).stream().map(h -> h.path("status").asText() + " " + h.path("label").asText()))
                .containsExactly(cases.stream().map(c -> c.code() + " " + c.label()).toArray(String[]::new));
        assertThat(history.get(before + 3).path("statusAt").asText()).isEqualTo("2026-12-01T14:00Z");

        JsonNode log = json(call("GET", "/api/v1/submissions/" + submissionId, null, null, KEY_FR01));
        assertThat(StreamSupport.stream(log.path("steps").spliterator(), false)
                .filter(s -> s.path("name").asText().equals("invoice-status")).map(s -> s.path("message").asText()))
                .anySatisfy(m -> assertThat(m).startsWith("Status 212 Encaissée written as CDAR message " + INVOICE_NUMBER + "_212_"));
        assertThat(StreamSupport.stream(log.path("artifacts").spliterator(), false).filter(a -> a.path("kind").asText().equals("lifecycle")))
                .hasSizeGreaterThanOrEqualTo(cases.size());
    }

    @Test
    void aStatusTheShippedRulesRefuseIsNotRecordedAndTheAnswerNamesTheRule() {
        int before = history().size();
        HttpResponse<String> noReason = call("POST", "/api/v1/submissions/" + submissionId + "/statuses",
                "{\"status\": \"210\"}", "application/json", KEY_FR01);
        assertProblem(noReason, 422, ProblemType.INVALID_STATUS_MESSAGE);
        assertThat(StreamSupport.stream(json(noReason).path("findings").spliterator(), false).map(f -> f.path("ruleId").asText()))
                .containsExactly("BR-FR-CDV-15_MDT-113");

        HttpResponse<String> wrongReason = call("POST", "/api/v1/submissions/" + submissionId + "/statuses",
                "{\"status\": \"208\", \"reason\": {\"code\": \"DOUBLON\"}}", "application/json", KEY_FR01);
        assertProblem(wrongReason, 422, ProblemType.INVALID_STATUS_MESSAGE);
        assertThat(json(wrongReason).path("findings").get(0).path("ruleId").asText()).isEqualTo("BR-FR-CDV-CL-09_MDT-113_208");

        HttpResponse<String> unknown = call("POST", "/api/v1/submissions/" + submissionId + "/statuses",
                "{\"status\": \"299\", \"colour\": \"red\"}", "application/json", KEY_FR01);
        assertProblem(unknown, 422, ProblemType.INVALID_VALUE);
        assertThat(json(unknown).path("errors").toString()).contains("/status").contains("/colour");
        assertThat(history()).hasSize(before);
    }

    @Test
    void aReceivedCdarMessageIsRecordedOnTheInvoicesSubmission() {
        String xml = buyerMessage("BY-MSG-0001", INVOICE_NUMBER, "123456782", "205", "Approuvée");
        HttpResponse<String> r = call("POST", "/api/v1/status-messages", xml, "application/xml", KEY_FR01);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode item = json(r).path("items").get(0);
        assertThat(item.path("source").asText()).isEqualTo("cdar");
        assertThat(item.path("outcome").asText()).isEqualTo("recorded");
        assertThat(item.path("status").asText()).isEqualTo("205");
        assertThat(item.path("messageId").asText()).isEqualTo("BY-MSG-0001");
        assertThat(item.path("issuerRole").asText()).isEqualTo("BY");
        assertThat(item.path("statusAt").asText()).isEqualTo("2026-12-02T08:30Z");
        assertThat(item.path("links").path("submission").asText()).isEqualTo("/api/v1/submissions/" + submissionId);
        assertThat(bytes(item.path("links").path("message").asText(), KEY_FR01).body()).isEqualTo(xml.getBytes(StandardCharsets.UTF_8));

        assertThat(history().stream().map(h -> h.path("messageId").asText())).contains("BY-MSG-0001");
        JsonNode log = json(call("GET", "/api/v1/submissions/" + submissionId, null, null, KEY_FR01));
        assertThat(StreamSupport.stream(log.path("steps").spliterator(), false).map(s -> s.path("message").asText()))
                .contains("Status 205 Approuvée received in CDAR message BY-MSG-0001");
    }

    @Test
    void aMessageForAnUnknownInvoiceOrNotCdarIsRefusedAndKept() {
        String unknown = buyerMessage("BY-MSG-0002", "NO-SUCH-INVOICE", "123456782", "205", "Approuvée");
        HttpResponse<String> r = call("POST", "/api/v1/status-messages", unknown, "application/xml", KEY_FR01);
        assertProblem(r, 422, ProblemType.UNKNOWN_INVOICE);
        assertThat(json(r).path("detail").asText()).contains("NO-SUCH-INVOICE").contains("123456782");
        String kept = json(r).path("kept").path("href").asText();
        assertThat(bytes(kept, KEY_FR01).body()).isEqualTo(unknown.getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> notCdar = call("POST", "/api/v1/status-messages", "<Invoice xmlns=\"urn:x\"/>", "application/xml", KEY_FR01);
        assertProblem(notCdar, 422, ProblemType.INVALID_STATUS_MESSAGE);
        assertThat(bytes(json(notCdar).path("kept").path("href").asText(), KEY_FR01).body()).isEqualTo("<Invoice xmlns=\"urn:x\"/>".getBytes());

        assertProblem(call("POST", "/api/v1/status-messages", "{}", "application/json", KEY_FR01), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE);
        // kept messages are the sender's: another legal entity's key does not see them
        assertProblem(call("GET", kept, null, null, KEY_DE01), 404, ProblemType.NOT_FOUND);
    }

    @Test
    void anotherLegalEntitySeesNothingAndAReadOnlyKeyCannotPost() {
        String path = "/api/v1/submissions/" + submissionId + "/statuses";
        assertProblem(call("POST", path, "{\"status\": \"205\"}", "application/json", KEY_DE01), 404, ProblemType.NOT_FOUND);
        assertProblem(call("GET", path, null, null, KEY_DE01), 404, ProblemType.NOT_FOUND);
        assertProblem(call("POST", path, "{\"status\": \"205\"}", "application/json", KEY_FR01_READ), 403, ProblemType.FORBIDDEN);
        assertProblem(call("POST", path, "{\"status\": \"205\"}", "application/json", null), 401, ProblemType.UNAUTHORIZED);
        assertThat(call("GET", path, null, null, KEY_FR01_READ).statusCode()).isEqualTo(200);
        // DE01's key is blind to FR01's invoice: the message is unknown to it (and kept)
        HttpResponse<String> foreign = call("POST", "/api/v1/status-messages",
                buyerMessage("BY-MSG-0003", INVOICE_NUMBER, "123456782", "205", "Approuvée"), "application/xml", KEY_DE01);
        assertProblem(foreign, 422, ProblemType.UNKNOWN_INVOICE);
        JsonNode firstStatus = history().get(0);
        assertProblem(call("GET", firstStatus.path("links").path("message").asText(), null, null, KEY_DE01), 404, ProblemType.NOT_FOUND);
    }

    @Test
    void aStatusOfAReceivedVendorInvoiceGoesOnItsReceiptLog() {
        byte[] ubl = io.einvoicinghub.fidelity.FeatureRendering.render(io.einvoicinghub.fidelity.PinnedFeature.PEPPOL_BIS_UBL,
                io.einvoicinghub.fidelity.FeatureRendering.read(Path.of("samples/valid/13-prepaid-amount.json")));
        HttpResponse<String> upload;
        try {
            upload = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/inbound/uploads"))
                    .header("Content-Type", "application/xml").header("X-API-Key", KEY_FR01)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ubl)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String receiptId = json(upload).path("id").asText();
        assertThat(json(upload).path("status").asText()).isEqualTo("Converted");

        // the vendor (VAT id DE123456789) tells its customer the invoice is paid
        String xml = buyerMessage("SE-MSG-0113", "INV-2026-0113", "DE123456789", "212", "Encaissée")
                .replace("<ram:IssuerTradeParty><ram:GlobalID schemeID=\"0002\">987654329</ram:GlobalID><ram:RoleCode>BY</ram:RoleCode></ram:IssuerTradeParty>",
                        "<ram:IssuerTradeParty><ram:GlobalID schemeID=\"9930\">DE123456789</ram:GlobalID><ram:RoleCode>SE</ram:RoleCode></ram:IssuerTradeParty>");
        HttpResponse<String> r = call("POST", "/api/v1/status-messages", xml, "application/xml", KEY_FR01);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode item = json(r).path("items").get(0);
        assertThat(item.path("links").path("receipt").asText()).isEqualTo("/api/v1/inbound/receipts/" + receiptId);
        assertThat(item.path("status").asText()).isEqualTo("212");
        // BR-FR-CDV-14: "Encaissée" without the amount received; recorded, with the rule as a warning
        assertThat(item.path("detail").asText()).contains("BR-FR-CDV-14_MDT-207");

        JsonNode receipt = json(call("GET", "/api/v1/inbound/receipts/" + receiptId, null, null, KEY_FR01));
        assertThat(StreamSupport.stream(receipt.path("log").spliterator(), false)
                .filter(l -> l.path("step").asText().equals("invoice-status")).map(l -> l.path("severity").asText() + " "
                        + (l.path("ruleId").isMissingNode() ? l.path("message").asText() : l.path("ruleId").asText())))
                .containsExactly("INFO Status 212 Encaissée received in CDAR message SE-MSG-0113", "WARNING BR-FR-CDV-14_MDT-207");
    }

    /** What a buyer's platform sends: a processing status (MDT-77 23) issued by the buyer, addressed to the seller. */
    static String buyerMessage(String id, String invoice, String sellerSiren, String code, String label) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
                    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
                    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
                    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
                  <rsm:ExchangedDocumentContext>
                    <ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>REGULATED</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>
                    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn.cpro.gouv.fr:1p0:CDV:invoice</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
                  </rsm:ExchangedDocumentContext>
                  <rsm:ExchangedDocument>
                    <ram:ID>%1$s</ram:ID>
                    <ram:IssueDateTime><udt:DateTimeString format="204">20261202093000</udt:DateTimeString></ram:IssueDateTime>
                    <ram:SenderTradeParty><ram:RoleCode>WK</ram:RoleCode></ram:SenderTradeParty>
                    <ram:IssuerTradeParty><ram:GlobalID schemeID="0002">987654329</ram:GlobalID><ram:RoleCode>BY</ram:RoleCode></ram:IssuerTradeParty>
                    <ram:RecipientTradeParty>
                      <ram:GlobalID schemeID="0002">%3$s</ram:GlobalID><ram:RoleCode>SE</ram:RoleCode>
                      <ram:URIUniversalCommunication><ram:URIID schemeID="0225">%3$s_STATUTS</ram:URIID></ram:URIUniversalCommunication>
                    </ram:RecipientTradeParty>
                  </rsm:ExchangedDocument>
                  <rsm:AcknowledgementDocument>
                    <ram:TypeCode>23</ram:TypeCode>
                    <ram:IssueDateTime><udt:DateTimeString format="204">20261202093000</udt:DateTimeString></ram:IssueDateTime>
                    <ram:ReferenceReferencedDocument>
                      <ram:IssuerAssignedID>%2$s</ram:IssuerAssignedID>
                      <ram:TypeCode>380</ram:TypeCode>
                      <ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20261120</qdt:DateTimeString></ram:FormattedIssueDateTime>
                      <ram:ProcessConditionCode>%4$s</ram:ProcessConditionCode>
                      <ram:ProcessCondition>%5$s</ram:ProcessCondition>
                      <ram:IssuerTradeParty><ram:GlobalID schemeID="0002">%3$s</ram:GlobalID><ram:RoleCode>SE</ram:RoleCode></ram:IssuerTradeParty>
                    </ram:ReferenceReferencedDocument>
                  </rsm:AcknowledgementDocument>
                </rsm:CrossDomainAcknowledgementAndResponse>
                """.formatted(id, invoice, sellerSiren, code, label);
    }

    private List<JsonNode> history() {
        HttpResponse<String> r = call("GET", "/api/v1/submissions/" + submissionId + "/statuses", null, null, KEY_FR01);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StreamSupport.stream(json(r).path("items").spliterator(), false).toList();
    }

    private HttpResponse<String> call(String method, String path, String body, String contentType, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header("X-API-Key", key);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> bytes(String path, String key) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-API-Key", key).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return UnifiedJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    private static void assertProblem(HttpResponse<String> r, int status, ProblemType type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("type").asText()).as(r.body()).isEqualTo(type.uri());
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
