package io.einvoicinghub.submission;

import java.time.OffsetDateTime;

/** The log's parts as stored; the API renders them. */
public final class LogEntries {

    private LogEntries() {
    }

    public record Step(String name, String status, String message, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    public record StoredFinding(String step, String layer, String ruleId, String severity, String message,
                                String location, String sourceField) {
    }

    public record Artifact(long id, String name, String kind, String storageKey, String contentType, long size,
                           String sha256, OffsetDateTime createdAt) {
    }

    public record Event(int run, String fromStatus, String toStatus, String message, String node, OffsetDateTime at) {
    }

    public record AuthorityOutput(String name, String value, OffsetDateTime createdAt) {
    }
}
