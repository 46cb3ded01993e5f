package io.einvoicinghub.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every kind of error answer the hub gives, each with a stable RFC 9457 {@code type} URI: clients branch on
 * {@code type}; {@code title} and {@code detail} are for people. The list is documented in docs/api.md and
 * docs/openapi.yaml (a test keeps both complete).
 */
public enum ProblemType {

    INVALID_REQUEST(400, "Invalid request"),
    MALFORMED_JSON(400, "Malformed JSON"),
    UNREADABLE_BODY(400, "Unreadable body"),
    INVALID_QUERY(400, "Invalid query"),
    INVALID_HEADER(400, "Invalid header"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    IDEMPOTENCY_KEY_REUSED(409, "Idempotency key reused"),
    DOCUMENT_ALREADY_SUBMITTED(409, "Document already submitted"),
    NOT_FINISHED(409, "Not finished"),
    ALREADY_FINISHED(409, "Already finished"),
    CALLBACK_ALREADY_RECEIVED(409, "Callback already received"),
    NOT_REPROCESSABLE(409, "Not reprocessable"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    BATCH_TOO_LARGE(413, "Batch too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    SCHEMA_VIOLATION(422, "Schema violation"),
    INVALID_VALUE(422, "Invalid value"),
    INVALID_BATCH(422, "Invalid batch"),
    UNKNOWN_FEATURE(422, "Unknown feature"),
    NO_FEATURE_APPLIES(422, "No feature applies"),
    AMBIGUOUS_FEATURE_APPLICABILITY(422, "Ambiguous feature applicability"),
    // France life-cycle statuses (CDAR, docs/cdar.md)
    INVALID_STATUS_MESSAGE(422, "Invalid status message"),
    UNKNOWN_INVOICE(422, "Unknown invoice"),
    INTERNAL_ERROR(500, "Internal error"),
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    /** Stable, not dereferenced: a URN in the hub's own namespace (like the JSON Schema's {@code $id}). */
    public static final String PREFIX = "urn:einvoicing-hub:problem:";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String uri() {
        return PREFIX + slug();
    }

    /** The type of a refusal raised by the domain, which names its problem by title. */
    public static Optional<ProblemType> byTitle(String title) {
        return Arrays.stream(values()).filter(t -> t.title.equalsIgnoreCase(title)).findFirst();
    }

    /** The type of an error answer that only has an HTTP status (container and framework errors). */
    public static ProblemType byStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}
