package io.einvoicinghub.submission;

/**
 * The authority's or receiver's answer, kept apart from {@link SubmissionStatus} so that "processed by
 * the hub" is never read as "accepted by the tax authority".
 */
public enum Verdict {
    /** The feature sends nothing to an external party. */
    NotRequested,
    /** Sent; no answer yet. */
    Awaiting,
    Accepted,
    Rejected
}
