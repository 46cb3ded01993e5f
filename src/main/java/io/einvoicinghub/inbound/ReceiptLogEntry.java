package io.einvoicinghub.inbound;

import java.time.OffsetDateTime;

/** One line of a receipt's log: a step, or a validation finding with its official rule id. */
public record ReceiptLogEntry(int seq, OffsetDateTime at, String step, String severity, String message, String ruleId,
                              String location) {
}
