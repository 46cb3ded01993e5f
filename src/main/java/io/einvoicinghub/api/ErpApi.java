package io.einvoicinghub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.feature.FeatureDescriptor;
import io.einvoicinghub.processing.action.FeaturePipeline;
import io.einvoicinghub.security.Caller;
import io.einvoicinghub.feature.FeatureRegistry;
import io.einvoicinghub.feature.FeatureRouteParameters;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.submission.LogEntries;
import io.einvoicinghub.submission.Submission;
import io.einvoicinghub.submission.SubmissionFilter;
import io.einvoicinghub.submission.SubmissionIntake;
import io.einvoicinghub.submission.SubmissionQueue;
import io.einvoicinghub.submission.SubmissionRejectedException;
import io.einvoicinghub.submission.SubmissionRepository;
import io.einvoicinghub.submission.SubmissionStatus;
import io.einvoicinghub.submission.UnifiedJson;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;

/** The ERP-facing operations behind the REST routes in {@code routes/api/erp-api.camel.yaml}. */
@Component("erpApi")
public class ErpApi {

    private final SubmissionIntake intake;
    private final SubmissionRepository repository;
    private final SubmissionViews views;
    private final SubmissionQueue queue;
    private final FeatureRegistry features;
    private final ArtifactStore store;
    private final HubProperties properties;

    public ErpApi(SubmissionIntake intake, SubmissionRepository repository, SubmissionViews views,
                  SubmissionQueue queue, FeatureRegistry features, ArtifactStore store, HubProperties properties) {
        this.intake = intake;
        this.repository = repository;
        this.views = views;
        this.queue = queue;
        this.features = features;
        this.store = store;
        this.properties = properties;
    }

    public void submitOne(Exchange exchange) {
        Caller caller = caller(exchange);
        String idempotencyKey = idempotencyKey(exchange);
        byte[] body = RequestBodies.readJson(exchange, properties.api().maxRequestBytes());
        JsonNode submission = RequestBodies.parseObject(body);
        requireOwnLegalEntity(caller, submission);
        SubmissionIntake.Outcome outcome = intake.submit(submission, idempotencyKey);
        ObjectNode answer = views.summary(outcome.submission());
        answer.put("duplicate", !outcome.created());
        exchange.getMessage().setHeader("Location", SubmissionViews.BASE_PATH + "/" + outcome.submission().id());
        HttpReplies.json(exchange, outcome.created() ? 202 : 200, answer);
    }

    /** Each item is accepted or refused on its own; the answer lists one result per item, in order. */
    public void submitBatch(Exchange exchange) {
        Caller caller = caller(exchange);
        byte[] body = RequestBodies.readJson(exchange, properties.api().maxBatchRequestBytes());
        JsonNode batch = RequestBodies.parseObject(body);
        JsonNode items = batch.path("items");
        if (!items.isArray() || items.isEmpty()) {
            throw new SubmissionRejectedException(422, "Invalid batch", "A batch is {\"items\": [submission, ...]} with at least one item",
                    java.util.List.of(new ApiError("/items", "must be a non-empty array")));
        }
        if (items.size() > properties.api().maxBatchItems()) {
            throw new SubmissionRejectedException(413, "Batch too large", "A batch holds at most "
                    + properties.api().maxBatchItems() + " items; this one has " + items.size());
        }
        ArrayNode results = UnifiedJson.mapper().createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            ObjectNode result = results.addObject();
            result.put("index", i);
            try {
                // each item is held to the limit of a document sent alone
                long size = RequestBodies.serializedSize(items.get(i));
                if (size > properties.api().maxRequestBytes()) {
                    throw new SubmissionRejectedException(413, "Payload too large", "The item (" + size
                            + " bytes) exceeds the per-document limit of " + properties.api().maxRequestBytes() + " bytes");
                }
                if (!items.get(i).isObject()) {
                    throw new SubmissionRejectedException(422, "Invalid batch", "Each item is a submission object",
                            java.util.List.of(new ApiError("", "must be an object")));
                }
                requireOwnLegalEntity(caller, items.get(i));
                SubmissionIntake.Outcome outcome = intake.submit(items.get(i), null);
                result.put("status", outcome.created() ? 202 : 200);
                ObjectNode summary = views.summary(outcome.submission());
                summary.put("duplicate", !outcome.created());
                result.set("submission", summary);
            } catch (SubmissionRejectedException e) {
                result.put("status", e.httpStatus());
                result.set("problem", HttpReplies.problem(e, "/items/" + i));
            } catch (RuntimeException e) {
                // one item's failure (e.g. storage unavailable) must not hide the items already accepted
                result.put("status", 500);
                result.set("problem", HttpReplies.problem(new SubmissionRejectedException(500, "Internal error",
                        "This item could not be accepted: " + e.getClass().getSimpleName()
                                + "; nothing was created for it, resubmit it"), "/items/" + i));
            }
        }
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        answer.set("results", results);
        HttpReplies.json(exchange, 207, answer);
    }

    /** Set by the security filters; absent only when the API is called without them (never in the hub). */
    static Caller caller(Exchange exchange) {
        Object request = exchange.getIn() instanceof PlatformHttpMessage http ? http.getRequest() : null;
        Object caller = request instanceof jakarta.servlet.http.HttpServletRequest r ? r.getAttribute(Caller.ATTRIBUTE) : null;
        if (caller instanceof Caller c) {
            return c;
        }
        throw new SubmissionRejectedException(401, "Unauthorized", "No authenticated caller");
    }

    /** Submitting for a legal entity the caller does not have is refused before anything is looked up. */
    static void requireOwnLegalEntity(Caller caller, JsonNode submission) {
        String legalEntity = submission.path("context").path("legalEntity").asText("");
        if (!caller.mayAccess(legalEntity)) {
            throw new SubmissionRejectedException(403, "Forbidden", "The credential may not submit for this legal entity",
                    java.util.List.of(new ApiError("/context/legalEntity", "not one of the caller's legal entities")));
        }
    }

    /** The {@code Idempotency-Key} header's limits (docs/openapi.yaml states them; OpenApiSpecTest compares). */
    static final int IDEMPOTENCY_KEY_MAX_LENGTH = 200;
    static final String IDEMPOTENCY_KEY_PATTERN = "^[\\x21-\\x7E]+$";

    private static String idempotencyKey(Exchange exchange) {
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (key != null && (key.length() > IDEMPOTENCY_KEY_MAX_LENGTH || !key.matches(IDEMPOTENCY_KEY_PATTERN))) {
            throw new SubmissionRejectedException(400, "Invalid header",
                    "Idempotency-Key must be 1-200 printable ASCII characters without spaces");
        }
        return key;
    }

    public void get(Exchange exchange) {
        HttpReplies.json(exchange, 200, views.detail(required(exchange)));
    }

    public void list(Exchange exchange) {
        SubmissionFilter filter = SubmissionQuery.filter(exchange, caller(exchange).visibleLegalEntities());
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        ArrayNode items = answer.putArray("items");
        repository.list(filter).forEach(s -> items.add(views.summary(s)));
        answer.put("limit", filter.limit());
        answer.put("offset", filter.offset());
        HttpReplies.json(exchange, 200, answer);
    }

    public void downloadArtifact(Exchange exchange) {
        Submission s = required(exchange);
        long artifactId;
        try {
            artifactId = Long.parseLong(exchange.getMessage().getHeader("artifactId", String.class));
        } catch (NumberFormatException e) {
            throw new SubmissionRejectedException(404, "Not found", "No such artifact");
        }
        LogEntries.Artifact artifact = repository.artifact(s.id(), artifactId)
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No artifact " + artifactId + " in submission " + s.id()));
        InputStream content = store.open(artifact.storageKey())
                .orElseThrow(() -> new IllegalStateException("Artifact " + artifact.storageKey() + " is recorded but missing from storage"));
        var out = exchange.getMessage();
        HttpReplies.clearRequestHeaders(exchange);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, artifact.contentType());
        out.setHeader("Content-Disposition", "attachment; filename=\"" + artifact.name().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        // RFC 9530 digest of the stored bytes, so the ERP can check what it downloaded
        out.setHeader("Repr-Digest", "sha-256=:" + java.util.Base64.getEncoder()
                .encodeToString(java.util.HexFormat.of().parseHex(artifact.sha256())) + ":");
        out.setBody(content);
    }

    public void resubmit(Exchange exchange) {
        Submission s = required(exchange);
        if (!repository.resubmit(s.id(), properties.nodeId())) {
            throw new SubmissionRejectedException(409, "Not finished",
                    "Submission " + s.id() + " is " + s.status() + "; only a finished submission can be resubmitted");
        }
        queue.enqueue(s.id());
        HttpReplies.json(exchange, 202, views.summary(repository.findById(s.id()).orElseThrow()));
    }

    public void cancel(Exchange exchange) {
        Submission s = required(exchange);
        if (s.status().isTerminal()) {
            throw new SubmissionRejectedException(409, "Already finished",
                    "Submission " + s.id() + " is already " + s.status());
        }
        SubmissionStatus after = repository.requestCancel(s.id(), properties.nodeId()).orElse(s.status());
        if (after.isTerminal() && after != SubmissionStatus.Canceled) {
            // it finished between the check above and the request
            throw new SubmissionRejectedException(409, "Already finished", "Submission " + s.id() + " is already " + after);
        }
        HttpReplies.json(exchange, 202, views.summary(repository.findById(s.id()).orElseThrow()));
    }

    public void listFeatures(Exchange exchange) {
        ArrayNode list = UnifiedJson.mapper().createArrayNode();
        for (FeatureDescriptor f : features.all()) {
            ObjectNode n = list.addObject();
            n.put("id", f.id());
            n.put("version", f.version());
            n.put("description", f.description());
            Route route = exchange.getContext().getRoute(f.routeId());
            n.put("routeInstalled", route != null);
            if (route != null) {
                ObjectNode parameters = n.putObject("parameters");
                FeatureRouteParameters.of(exchange.getContext(), f.routeId()).forEach(parameters::put);
                n.set("steps", FeaturePipeline.steps(route));
            }
        }
        ObjectNode answer = UnifiedJson.mapper().createObjectNode();
        answer.set("features", list);
        HttpReplies.json(exchange, 200, answer);
    }

    public void openApiSpec(Exchange exchange) throws IOException {
        serveResource(exchange, "/openapi/openapi.yaml", "application/yaml");
    }

    /** The machine-readable contract of the unified model, for ERP developers' own validation. */
    public void unifiedSchema(Exchange exchange) throws IOException {
        serveResource(exchange, "/schema/unified-submission.schema.json", "application/schema+json");
    }

    private static void serveResource(Exchange exchange, String resource, String contentType) throws IOException {
        try (InputStream content = ErpApi.class.getResourceAsStream(resource)) {
            if (content == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            HttpReplies.clearRequestHeaders(exchange);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
            exchange.getMessage().setBody(content.readAllBytes());
        }
    }

    /** Another legal entity's submission is answered exactly like one that does not exist. */
    private Submission required(Exchange exchange) {
        Caller caller = caller(exchange);
        String id = exchange.getMessage().getHeader("id", String.class);
        return repository.findById(id == null ? "" : id).filter(s -> caller.mayAccess(s.legalEntity()))
                .orElseThrow(() -> new SubmissionRejectedException(404, "Not found", "No submission "
                        + RequestBodies.printable(id == null ? "" : id)));
    }
}
