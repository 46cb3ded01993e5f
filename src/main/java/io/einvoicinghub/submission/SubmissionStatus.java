package io.einvoicinghub.submission;

import java.util.EnumSet;
import java.util.Set;

/** Processing statuses, named as in the Dynamics 365 Electronic invoicing service. */
public enum SubmissionStatus {
    /** Accepted and stored; waiting for a worker. */
    Scheduled,
    /** A worker is running the feature's pipeline. */
    Executing,
    /** Waiting on an external party (authority, network, receiver). */
    Pending,
    Completed,
    Failed,
    Canceled;

    public static final Set<SubmissionStatus> TERMINAL = EnumSet.of(Completed, Failed, Canceled);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
