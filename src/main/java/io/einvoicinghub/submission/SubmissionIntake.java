package io.einvoicinghub.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.einvoicinghub.HubProperties;
import io.einvoicinghub.api.ApiError;
import io.einvoicinghub.feature.FeatureDescriptor;
import io.einvoicinghub.feature.FeatureRegistry;
import io.einvoicinghub.feature.FeatureSelectionException;
import io.einvoicinghub.feature.SubmissionContext;
import io.einvoicinghub.storage.ArtifactStore;
import io.einvoicinghub.storage.StorageLayout;
import io.einvoicinghub.storage.StoredArtifact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts one submission: checks it, picks its feature, stores input and context durably, records it as
 * Scheduled and puts it on the processing queue. Nothing is created for a refused request, and a repeated
 * request returns the submission created the first time.
 */
@Service
public class SubmissionIntake {

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionIntake.class);

    private final UnifiedSchemaValidator schemaValidator;
    private final FeatureRegistry features;
    private final ArtifactStore store;
    private final SubmissionRepository repository;
    private final SubmissionQueue queue;
    private final HubProperties properties;
    private final IntakeJournal journal;
    private final UnacceptedInputSweep sweep;
    private final TransactionTemplate transactions;
    /** How long a losing request waits for the winner's row to become visible: 100 looks, 20 ms apart. */
    private static final int WINNER_LOOKS = 100;
    private static final long WINNER_LOOK_MILLIS = 20;
    private final ErpDocumentClaims claims;

    public SubmissionIntake(UnifiedSchemaValidator schemaValidator, FeatureRegistry features, ArtifactStore store,
                            SubmissionRepository repository, SubmissionQueue queue, HubProperties properties,
                            IntakeJournal journal, UnacceptedInputSweep sweep, PlatformTransactionManager transactionManager,
                            ErpDocumentClaims claims) {
        this.claims = claims;
        this.journal = journal;
        this.sweep = sweep;
        this.transactions = new TransactionTemplate(transactionManager);
        this.schemaValidator = schemaValidator;
        this.features = features;
        this.store = store;
        this.repository = repository;
        this.queue = queue;
        this.properties = properties;
    }

    /** @param created false when an earlier identical submission was returned */
    public record Outcome(Submission submission, boolean created) {
    }

    public Outcome submit(byte[] body, String idempotencyKey) {
        return submit(parseObject(body), idempotencyKey);
    }

    /** What intake decides before anything is stored: the submission is well-formed and this feature takes it. */
    public record Checked(SubmissionContext context, FeatureDescriptor feature) {
    }

    public Outcome submit(JsonNode submission, String idempotencyKey) {
        Checked checked = check(submission);
        SubmissionContext context = checked.context();
        FeatureDescriptor feature = checked.feature();
        String hash = UnifiedJson.contentHash(submission);
        Optional<Submission> earlier = findEarlier(context, idempotencyKey, hash);
        if (earlier.isPresent()) {
            return new Outcome(earlier.get(), false);
        }
        boolean newVersion = submission.path("context").path("newVersion").asBoolean(false);
        if (!newVersion) {
            Optional<Submission> sameErpId = repository.findLatestByErpDocumentId(context.legalEntity(), context.erpDocumentId());
            if (sameErpId.isPresent()) {
                // re-read: a concurrent identical request may have committed between the two lookups
                if (sameErpId.get().contentSha256().equals(hash)) {
                    return new Outcome(sameErpId.get(), false);
                }
                throw new DocumentAlreadySubmittedException(context.erpDocumentId(), sameErpId.get().id());
            }
        }
        return create(submission, context, feature, hash, blankToNull(idempotencyKey), newVersion);
    }

    /** Value, schema and feature checks; refuses the submission with the reason a client can act on. */
    public Checked check(JsonNode submission) {
        List<ApiError> invalid = SubmissionValueCheck.check(submission);
        if (!invalid.isEmpty()) {
            throw new SubmissionRejectedException(422, "Invalid value",
                    "The submission has values no e-invoice can carry (" + invalid.size() + " error(s))", invalid);
        }
        List<ApiError> errors = schemaValidator.validate(submission);
        if (!errors.isEmpty()) {
            throw new SubmissionRejectedException(422, "Schema violation",
                    "The submission does not conform to the unified model schema (" + errors.size() + " error(s))", errors);
        }
        SubmissionContext context = context(submission.get("context"));
        try {
            return new Checked(context, features.select(context));
        } catch (FeatureSelectionException e) {
            throw new SubmissionRejectedException(422, switch (e.reason()) {
                case UNKNOWN_FEATURE -> "Unknown feature";
                case NO_FEATURE_APPLIES -> "No feature applies";
                case AMBIGUOUS -> "Ambiguous feature applicability";
            }, e.getMessage(), List.of(new ApiError("/context", e.getMessage())));
        }
    }

    private Optional<Submission> findEarlier(SubmissionContext context, String idempotencyKey, String hash) {
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            Optional<Submission> byKey = repository.findByIdempotencyKey(context.legalEntity(), idempotencyKey);
            if (byKey.isPresent() && !byKey.get().contentSha256().equals(hash)) {
                throw new SubmissionRejectedException(409, "Idempotency key reused",
                        "Idempotency-Key '" + idempotencyKey + "' was used for different content in submission "
                                + byKey.get().id());
            }
            if (byKey.isPresent()) {
                return byKey;
            }
        }
        return repository.findByContent(context.legalEntity(), context.erpDocumentId(), hash);
    }

    private Outcome create(JsonNode submission, SubmissionContext context, FeatureDescriptor feature, String hash,
                           String idempotencyKey, boolean newVersion) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String prefix = StorageLayout.submissionPrefix(context.legalEntity(), now, id);
        Submission row = new Submission(id, context.legalEntity(), context.country(), context.documentType(),
                context.erpDocumentId(), hash, idempotencyKey, feature.id(), feature.version(),
                SubmissionStatus.Scheduled, Verdict.NotRequested, null, prefix, 1, null, null, false, now, now, null);
        // the journal entry comes first and goes with the row: no file is ever left that neither refers to
        journal.begin(prefix, properties.nodeId());
        try {
            // input first: once the row exists the submission must be processable from storage alone
            StoredArtifact document = store.put(StorageLayout.inputKey(prefix, StorageLayout.DOCUMENT),
                    UnifiedJson.writePretty(submission.get("document")), "application/json");
            StoredArtifact contextFile = store.put(StorageLayout.inputKey(prefix, StorageLayout.CONTEXT),
                    UnifiedJson.writePretty(submission.get("context")), "application/json");
            transactions.executeWithoutResult(tx -> {
                repository.insertWithInputs(row, properties.nodeId(), document, contextFile);
                if (!newVersion) {
                    // atomic "first under this ERP id": of concurrent requests with other content only one commits
                    claims.claim(context.legalEntity(), context.erpDocumentId(), id);
                }
                journal.end(prefix);
            });
        } catch (DuplicateKeyException race) {
            discard(prefix);
            return concurrentWinner(context, idempotencyKey, hash, newVersion, race);
        } catch (RuntimeException e) {
            discard(prefix);
            throw e;
        }
        queue.enqueue(id);
        return new Outcome(row, true);
    }

    /**
     * A concurrent request won the claim: the same content is answered with its submission, other content with
     * 409. The database may report the duplicate key while the winner's transaction is still open (H2 does), so
     * the winner is looked up until it is visible, and its content is compared in the same read.
     */
    private Outcome concurrentWinner(SubmissionContext context, String idempotencyKey, String hash, boolean newVersion,
                                     DuplicateKeyException race) {
        for (int look = 0; look < WINNER_LOOKS; look++) {
            Optional<Submission> same = findEarlier(context, idempotencyKey, hash);
            if (same.isPresent()) {
                LOG.info("A concurrent duplicate request resolved to the earlier submission");
                return new Outcome(same.get(), false);
            }
            if (!newVersion) {
                Optional<Submission> winner = repository.findLatestByErpDocumentId(context.legalEntity(), context.erpDocumentId());
                if (winner.isPresent() && winner.get().contentSha256().equals(hash)) {
                    return new Outcome(winner.get(), false);
                }
                if (winner.isPresent()) {
                    LOG.info("A concurrent request with other content under the same ERP document id was refused");
                    throw new DocumentAlreadySubmittedException(context.erpDocumentId(), winner.get().id());
                }
            }
            try {
                Thread.sleep(WINNER_LOOK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw race;
    }

    /** Compensation: the files of a request that did not become a submission go at once, else by the sweep. */
    private void discard(String prefix) {
        try {
            sweep.remove(prefix);
        } catch (RuntimeException e) {
            LOG.warn("The unaccepted input under {} stays until the sweep removes it: {}", prefix, e.toString());
        }
    }

    /** Strict JSON: a malformed body is refused with the line and column of the first error. */
    public static JsonNode parseObject(byte[] body) {
        try {
            JsonNode node = UnifiedJson.parse(body);
            if (node == null || !node.isObject()) {
                throw new SubmissionRejectedException(400, "Malformed JSON", "The body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new SubmissionRejectedException(400, "Malformed JSON", "The body is not valid JSON" + where + ": "
                    + reason(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SubmissionRejectedException(400, "Malformed JSON", "The body is not valid UTF-8 JSON");
        }
    }

    /** The parser's reason without its configuration hints, source excerpts or class names. */
    static String reason(String parserMessage) {
        if (parserMessage == null) {
            return "invalid JSON";
        }
        String reason = parserMessage.split("\\R", 2)[0]
                .replaceAll("\\s*\\(start marker at .*", "")
                .replaceAll(":\\s*enable `[^`]*` to allow", "")
                .replaceAll(",?\\s*from `[^`]*`", "")
                .replaceAll("\\[Source:.*", "")
                .replaceAll("[^\\x20-\\x7E]", "?")
                .trim();
        if (reason.isEmpty() || reason.toLowerCase(java.util.Locale.ROOT).contains("jackson") || reason.contains("com.")) {
            return "invalid JSON";
        }
        return reason.length() > 200 ? reason.substring(0, 200) + "..." : reason;
    }

    static SubmissionContext context(JsonNode node) {
        Map<String, String> variables = new HashMap<>();
        JsonNode vars = node.path("variables");
        if (vars instanceof ObjectNode object) {
            object.fields().forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
        }
        return new SubmissionContext(node.path("legalEntity").asText(), node.path("country").asText(),
                node.path("documentType").asText(), node.path("erpDocumentId").asText(),
                blankToNull(node.path("featureHint").asText(null)), variables);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
